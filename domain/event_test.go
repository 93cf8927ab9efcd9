package domain

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// sample answers a value of event type t with every field set to something non-zero, so
// that a round trip proves every field survives, including fields added later.
func sample(t *testing.T, eventType string) Event {
	t.Helper()
	zero, err := DecodeEvent(eventType, []byte(`{}`))
	if err != nil {
		t.Fatalf("decode empty %s: %v", eventType, err)
	}
	v := reflect.New(reflect.TypeOf(zero)).Elem()
	fill(v, 1)
	return v.Interface().(Event)
}

func fill(v reflect.Value, seed int) {
	switch v.Interface().(type) {
	case uuid.UUID:
		v.Set(reflect.ValueOf(named("sample " + string(rune('a'+seed)))))
		return
	case time.Time:
		v.Set(reflect.ValueOf(t0.Add(time.Duration(seed) * time.Minute)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("v" + string(rune('a'+seed)))
	case reflect.Int:
		v.SetInt(int64(seed) + 1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), seed)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fill(v.Index(0), seed)
		fill(v.Index(1), seed+1)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		key, elem := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(key, seed)
		fill(elem, seed)
		v.SetMapIndex(key, elem)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), seed+i)
		}
	default:
		panic("fill: no sample for " + v.Type().String())
	}
}

func TestEveryEventTypeRoundTrips(t *testing.T) {
	for _, eventType := range EventTypes() {
		t.Run(eventType, func(t *testing.T) {
			e := sample(t, eventType)
			if e.EventType() != eventType {
				t.Fatalf("registered as %s, answers %s", eventType, e.EventType())
			}
			checkRoundTrip(t, e)
		})
	}
}

func TestEventTypesAreNamespacedPastTense(t *testing.T) {
	shape := regexp.MustCompile(`^(workspace|member|access|account|claim)\.[a-z_]+$`)
	for _, eventType := range EventTypes() {
		verb := eventType[strings.LastIndexAny(eventType, "._")+1:]
		irregular := verb == "sent" || verb == "resent" || verb == "set"
		if !shape.MatchString(eventType) || !strings.HasSuffix(verb, "ed") && !irregular {
			t.Errorf("%s is not a namespaced past-tense type name", eventType)
		}
	}
}

// TestEventTypeNamesAreFixed compares the registered type names with the list in
// testdata: stored history refers to them, so a rename or removal must be deliberate
// (a new type or an upcaster), never a side effect of refactoring.
func TestEventTypeNamesAreFixed(t *testing.T) {
	golden, err := os.ReadFile("testdata/event_types.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(golden))
	got := EventTypes()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("registered event types differ from testdata/event_types.txt:\n got %v\nwant %v", got, want)
	}
}

func TestEventFieldsAreSnakeCaseJSON(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*(,omitempty)?$`)
	for _, eventType := range EventTypes() {
		typ := reflect.TypeOf(sample(t, eventType))
		for i := range typ.NumField() {
			if tag := typ.Field(i).Tag.Get("json"); !snake.MatchString(tag) {
				t.Errorf("%s.%s has json tag %q", typ.Name(), typ.Field(i).Name, tag)
			}
		}
	}
}

// Personal data lives only in account events, so that erasing a person touches one
// stream type (docs/domain.md, streams).
func TestPersonalDataOnlyInAccountEvents(t *testing.T) {
	personal := []string{"email", "old_email", "new_email", "login", "first_name", "last_name", "phone"}
	for _, eventType := range EventTypes() {
		if strings.HasPrefix(eventType, "account.") {
			continue
		}
		data, _ := json.Marshal(sample(t, eventType))
		var fields map[string]any
		_ = json.Unmarshal(data, &fields)
		for _, p := range personal {
			if _, ok := fields[p]; ok {
				t.Errorf("%s carries personal field %s", eventType, p)
			}
		}
	}
}

func TestDecodeEventIsStrict(t *testing.T) {
	cases := []struct {
		name, eventType, data string
	}{
		{"unknown field", TypeMemberInvited, `{"account_id":"` + targetID.String() + `","ip":"10.0.0.1"}`},
		{"trailing data", TypeMemberPurged, `{"account_id":"` + targetID.String() + `"} {}`},
		{"not an object", TypeMemberPurged, `null`},
		{"an array", TypePermissionsSet, `[]`},
		{"wrong field type", TypePlanChanged, `{"seats":"ten"}`},
		{"bad uuid", TypeMemberPurged, `{"account_id":"not-a-uuid"}`},
		{"truncated", TypeMemberPurged, `{"account_id":`},
		{"empty", TypeMemberPurged, ``},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if e, err := DecodeEvent(c.eventType, []byte(c.data)); err == nil {
				t.Fatalf("decoded %#v", e)
			}
		})
	}
}

func TestDecodeEventRejectsUnknownTypes(t *testing.T) {
	for _, eventType := range []string{"", "member.teleported", "MemberInvited", "member.invited "} {
		if _, err := DecodeEvent(eventType, []byte(`{}`)); !errors.Is(err, ErrUnknownEventType) {
			t.Errorf("DecodeEvent(%q) = %v, want ErrUnknownEventType", eventType, err)
		}
	}
}

func TestApplyIgnoresForeignAndEarlyEvents(t *testing.T) {
	w := replayWorkspace([]Event{PlanChanged{Seats: 9}, MemberInvited{AccountID: targetID}})
	if w.Exists() || w.Seats() != 0 {
		t.Fatalf("events before workspace.created changed the state: %+v", w)
	}
	w = replayWorkspace(slices.Concat(created(3), []Event{AccountRegistered{AccountID: targetID}, Claimed{AccountID: targetID}, VisaGranted{AccountID: targetID}}))
	if _, ok := w.Member(targetID); ok || w.SeatsUsed() != 1 {
		t.Fatalf("foreign events changed the roster")
	}
	m := new(MemberAccess)
	m.Apply(PermissionsCopied{}) // nil maps in a copied event must not poison later events
	m.Apply(ScopeSet{Scope: "company:acme", Level: ScopeRead})
	m.Apply(ProjectRoleAssigned{ProjectID: projectID, Role: ProjectViewer})
	if m.Scope("company:acme") != ScopeRead {
		t.Fatalf("scope lost after a copy without scopes")
	}
}

// FuzzDecodeEvent: no input may panic the decoder, and whatever it accepts must encode
// and decode to the same JSON again.
func FuzzDecodeEvent(f *testing.F) {
	for _, eventType := range EventTypes() {
		f.Add(eventType, []byte(`{}`))
	}
	f.Fuzz(func(t *testing.T, eventType string, data []byte) {
		e, err := DecodeEvent(eventType, data)
		if err != nil {
			return
		}
		first, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("accepted %s but cannot encode it: %v", data, err)
		}
		again, err := DecodeEvent(eventType, first)
		if err != nil {
			t.Fatalf("cannot decode own encoding %s: %v", first, err)
		}
		if second, _ := json.Marshal(again); string(second) != string(first) {
			t.Fatalf("encoding is not stable:\n%s\n%s", first, second)
		}
	})
}

// TestMemberEventsNameTheirMember: every event of an access stream answers the member
// whose grants it changes, and every member event of the roster the account whose
// membership it changes, so that the read side files them without a switch over their
// types; no other event claims to.
func TestMemberEventsNameTheirMember(t *testing.T) {
	accessTypes := map[string]bool{}
	for _, c := range accessCodecs {
		accessTypes[c.eventType] = true
	}
	for _, eventType := range EventTypes() {
		e := sample(t, eventType)
		_, access := e.(AccessEvent)
		_, roster := e.(RosterEvent)
		if want := accessTypes[eventType]; access != want {
			t.Errorf("%s: AccessEvent %v, want %v", eventType, access, want)
		}
		if want := strings.HasPrefix(eventType, "member."); roster != want {
			t.Errorf("%s: RosterEvent %v, want %v", eventType, roster, want)
		}
	}
}
