package kurrentdb

import (
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"accessledger/eventstore"
)

// TestEventsRoundTripThroughKurrentDBRecords: what the backend writes, read back as the
// server answers it, is the event with its envelope and hash chain, and the chain holds.
func TestEventsRoundTripThroughKurrentDBRecords(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 123456000, time.UTC)
	command := uuid.New()
	data := []eventstore.EventData{
		{ID: uuid.New(), Type: "member.invited", Data: json.RawMessage(`{"account_id":"x"}`),
			Metadata: eventstore.Metadata{CommandID: command, CorrelationID: command, CausationID: command, Actor: "system", OccurredAt: now}},
		{ID: uuid.New(), Type: "member.suspended", SchemaVersion: 2, Data: json.RawMessage(`{"reason":"r"}`),
			Metadata: eventstore.Metadata{CommandID: command, CorrelationID: command, CausationID: command, Actor: "a", Reason: "why", OccurredAt: now}},
	}
	sealed := eventstore.Seal("workspace-1", 0, eventstore.Hash{}, data)
	for i := range sealed {
		sealed[i].Position = eventstore.NewPosition(1000+uint64(i), 990+uint64(i))
		sealed[i].RecordedAt = now.Add(time.Second)
		ed, err := toEventData(&sealed[i])
		if err != nil {
			t.Fatal(err)
		}
		if ed.EventID != sealed[i].ID || ed.EventType != sealed[i].Type || ed.ContentType != kurrentdb.ContentTypeJson {
			t.Fatalf("event data %+v", ed)
		}
		rec := &kurrentdb.RecordedEvent{EventID: ed.EventID, EventType: ed.EventType, StreamID: "workspace-1",
			EventNumber: revision(sealed[i].Version), Position: fromPosition(sealed[i].Position),
			CreatedDate: sealed[i].RecordedAt, Data: ed.Data, UserMetadata: ed.Metadata}
		got, err := fromRecorded(rec)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, sealed[i]) {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, got, sealed[i])
		}
		if got.Hash != eventstore.ChainHash(got.PrevHash, &got) {
			t.Errorf("event %d: the hash chain does not hold after the round trip", i)
		}
	}
	if _, err := fromRecorded(&kurrentdb.RecordedEvent{StreamID: "s", UserMetadata: []byte("not json")}); err == nil {
		t.Error("a record without accessledger's envelope decodes")
	}
}

// TestTheEnvelopeIsMadeOfStrings: the server's multi-stream append takes metadata whose
// values are all strings; envelopes that earlier releases wrote, with a numeric schema
// version, still read.
func TestTheEnvelopeIsMadeOfStrings(t *testing.T) {
	e := eventstore.Seal("workspace-1", 0, eventstore.Hash{}, []eventstore.EventData{{ID: uuid.New(), Type: "member.invited",
		SchemaVersion: 3, Data: json.RawMessage(`{}`), Metadata: eventstore.Metadata{Actor: "system", Reason: "r", OccurredAt: time.Now()}}})[0]
	ed, err := toEventData(&e)
	if err != nil {
		t.Fatal(err)
	}
	var strings map[string]string
	if err := json.Unmarshal(ed.Metadata, &strings); err != nil || strings["schema_version"] != "3" {
		t.Errorf("metadata %s: %v, want string values only", ed.Metadata, err)
	}
	for _, meta := range []string{
		`{"actor":"system","occurred_at":"2026-03-01T09:00:00Z","schema_version":3,"hash":"` + e.Hash.String() + `"}`,
		`{"actor":"system","occurred_at":"2026-03-01T09:00:00Z","schema_version":"3","hash":"` + e.Hash.String() + `","$schema.name":"member.invited"}`,
	} {
		got, err := fromRecorded(&kurrentdb.RecordedEvent{StreamID: "workspace-1", UserMetadata: []byte(meta)})
		if err != nil || got.SchemaVersion != 3 {
			t.Errorf("%s: schema version %d, %v; want 3", meta, got.SchemaVersion, err)
		}
	}
	if _, err := fromRecorded(&kurrentdb.RecordedEvent{StreamID: "s", UserMetadata: []byte(`{"schema_version":"three"}`)}); err == nil {
		t.Error("a schema version that is not a number decodes")
	}
}

// TestStreamReadsWithoutPositionsAreRefused: an older server puts the largest number
// where a stream read's $all position belongs; the backend says so instead of answering
// a position that orders after everything.
func TestStreamReadsWithoutPositionsAreRefused(t *testing.T) {
	sealed := eventstore.Seal("workspace-1", 0, eventstore.Hash{}, []eventstore.EventData{{ID: uuid.New(), Type: "t", Data: json.RawMessage(`{}`)}})
	ed, err := toEventData(&sealed[0])
	if err != nil {
		t.Fatal(err)
	}
	rec := &kurrentdb.RecordedEvent{EventID: ed.EventID, EventType: ed.EventType, StreamID: "workspace-1",
		Position: kurrentdb.Position{Commit: noPosition, Prepare: noPosition}, Data: ed.Data, UserMetadata: ed.Metadata}
	if _, err := fromRecorded(rec); !errors.Is(err, errNoStreamPositions) {
		t.Fatalf("error = %v, want errNoStreamPositions", err)
	}
}

// TestPositionsKeepTheOrderOfTheLog: commit position first, then prepare position.
func TestPositionsKeepTheOrderOfTheLog(t *testing.T) {
	ordered := []kurrentdb.Position{{Commit: 0, Prepare: 0}, {Commit: 5, Prepare: 3}, {Commit: 5, Prepare: 4}, {Commit: 6, Prepare: 1}, {Commit: 1 << 62, Prepare: 1 << 62}}
	for i := range ordered {
		p := toPosition(ordered[i])
		if fromPosition(p) != ordered[i] {
			t.Errorf("%+v does not round-trip: %+v", ordered[i], fromPosition(p))
		}
		text := p.String()
		if back, err := eventstore.ParsePosition(text); err != nil || back != p {
			t.Errorf("%+v as text %q parses back to %v, %v", ordered[i], text, back, err)
		}
		if i > 0 && !toPosition(ordered[i-1]).Before(p) {
			t.Errorf("%+v is not before %+v", ordered[i-1], ordered[i])
		}
		if i > 0 && toPosition(ordered[i-1]).String() >= text {
			t.Errorf("the text of %+v does not sort before that of %+v", ordered[i-1], ordered[i])
		}
	}
}

func TestErrorCodesMapToTheStoreErrors(t *testing.T) {
	tests := []struct {
		code      kurrentdb.ErrorCode
		want      error // nil: no store error
		retryable bool
	}{
		{kurrentdb.ErrorCodeResourceNotFound, eventstore.ErrStreamNotFound, false},
		{kurrentdb.ErrorCodeStreamDeleted, eventstore.ErrStreamNotFound, false},
		{kurrentdb.ErrorCodeWrongExpectedVersion, eventstore.ErrVersionConflict, false},
		{kurrentdb.ErrorCodeStreamRevisionConflict, eventstore.ErrVersionConflict, false},
		{kurrentdb.ErrorUnavailable, nil, true},
		{kurrentdb.ErrorCodeNotLeader, nil, true},
		{kurrentdb.ErrorCodeAccessDenied, nil, false},
		{kurrentdb.ErrorCodeUnauthenticated, nil, false},
	}
	for _, tt := range tests {
		got := errorForCode(tt.code, "member-1", eventstore.Exact(3))
		if tt.want == nil && got != nil || tt.want != nil && !errors.Is(got, tt.want) {
			t.Errorf("code %d: %v, want %v", tt.code, got, tt.want)
		}
		var conflict *eventstore.VersionConflictError
		if errors.As(got, &conflict) && (conflict.Stream != "member-1" || conflict.Expected != eventstore.Exact(3)) {
			t.Errorf("code %d: conflict %+v names another stream or expectation", tt.code, conflict)
		}
		if codeRetryable(tt.code) != tt.retryable {
			t.Errorf("code %d: retryable %t, want %t", tt.code, !tt.retryable, tt.retryable)
		}
	}
	if err := errorOf(errors.New("boom"), "s", eventstore.Any(), "append to"); err == nil || errors.Is(err, eventstore.ErrStreamNotFound) {
		t.Errorf("a plain error: %v", err)
	}
}

// TestTheLogHoldsTheStoresStreamsOnly: the global log keeps, of a shared server, the
// streams of the store's namespace and kinds, with the namespace taken off.
func TestTheLogHoldsTheStoresStreamsOnly(t *testing.T) {
	tests := []struct {
		namespace string
		prefixes  []string
		stream    string
		want      string // "" when left out
	}{
		{"", nil, "workspace-1", "workspace-1"},
		{"", nil, "orders-1", "orders-1"},
		{"", nil, "$stats-1", ""},
		{"", []string{"workspace-", "member-"}, "member-1-2", "member-1-2"},
		{"", []string{"workspace-", "member-"}, "orders-1", ""},
		{"t1-", nil, "t1-orders-1", "orders-1"},
		{"t1-", nil, "t2-workspace-1", ""},
		{"t1-", []string{"workspace-"}, "t1-workspace-1", "workspace-1"},
		{"t1-", []string{"workspace-"}, "t1-orders-1", ""},
		{"t1-", []string{"workspace-"}, "workspace-1", ""},
	}
	for _, tt := range tests {
		s := &Store{namespace: tt.namespace, prefixes: logPrefixes(tt.namespace, tt.prefixes)}
		got, ok := s.ours(tt.stream)
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("namespace %q prefixes %v: %q answers %q, want %q", tt.namespace, tt.prefixes, tt.stream, got, tt.want)
		}
	}
	if got := logPrefixes("t1-", []string{"workspace-", "member-"}); !slices.Equal(got, []string{"t1-workspace-", "t1-member-"}) {
		t.Errorf("filter prefixes %v", got)
	}
}

// TestLogFilterKeepsOurStreamsAndDropsTheServers: with prefixes, those streams; without,
// every stream but the server's own.
func TestLogFilterKeepsOurStreamsAndDropsTheServers(t *testing.T) {
	f := logFilter([]string{"workspace-", "member-"})
	if f.Type != kurrentdb.StreamFilterType || !slices.Equal(f.Prefixes, []string{"workspace-", "member-"}) || f.Regex != "" {
		t.Errorf("prefix filter %+v", f)
	}
	all := logFilter(nil)
	re := regexp.MustCompile(all.Regex)
	for stream, keep := range map[string]bool{"workspace-1": true, "account-2": true, "$stats-127.0.0.1:2113": false, "$$member-1": false} {
		if re.MatchString(stream) != keep || systemStream(stream) == keep {
			t.Errorf("stream %q: kept %t, want %t", stream, re.MatchString(stream), keep)
		}
	}
}
