package projections

import (
	"context"
	"encoding/base64"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

type historyWant struct {
	kind, key, before, after string // "" for nil
}

func historyStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func TestMemberHistory(t *testing.T) {
	t.Parallel()
	w := newAuthzWorld(newGiven(t, History{}))
	w.module(domain.ModuleBooking, true, domain.RoleMember)
	cat, visa, project := w.category("Microscopes"), w.visa("Basic"), w.project("Apollo")
	bob := w.join(domain.RoleMember)
	joined := w.now()
	until := w.now().Add(time.Hour)
	w.grantVisa(bob, cat, visa, &until)
	w.access(bob, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: bob, ProjectID: project, Role: domain.ProjectViewer})
	w.access(bob, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: bob, ProjectID: project, Role: domain.ProjectViewer}) // no change
	w.access(bob, domain.PermissionsSet{WorkspaceID: w.ws, AccountID: bob, Grant: []string{"a.b", "c"}, Deny: []string{"d"}})
	w.access(bob, domain.PermissionsSet{WorkspaceID: w.ws, AccountID: bob, Grant: []string{"c"}, Deny: []string{"a.b"}})
	w.access(bob, domain.SecuritySettingsSet{WorkspaceID: w.ws, AccountID: bob, MFAEveryLogin: true})
	w.access(bob, domain.ContractInfoSet{WorkspaceID: w.ws, AccountID: bob, Reference: "C-1"}) // contract information is history too
	granted := w.now()
	demoted := w.wsEvent(domain.RoleChanged{AccountID: bob, From: domain.RoleMember, To: domain.RoleViewer})
	demoted.Metadata.Reason = "left the lab team"
	w.wsEvent(domain.MemberSuspended{AccountID: bob, Reason: "unpaid invoice"})
	w.wsEvent(domain.MemberDeleted{AccountID: bob, PreviousStatus: domain.StatusSuspended, DeletedAt: w.now()})
	w.apply(0)
	ctx := context.Background()

	all, err := MemberHistory(ctx, w.g.pool, w.ws, bob, HistoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []historyWant{
		{"status", "", "", "invited"}, {"role", "", "", "member"}, {"license", "", "", "held"},
		{"status", "", "invited", "active"},
		{"visa", cat.String(), "", visa.String()},
		{"project", project.String(), "", "viewer"},
		{"feature", "a.b", "", "grant"}, {"feature", "c", "", "grant"}, {"feature", "d", "", "deny"},
		{"feature", "d", "deny", ""}, {"feature", "a.b", "grant", "deny"}, // ended keys first, then set ones, by key
		{"security", "", "", `{"mfa_every_login":true,"mfa_after_inactivity_days":0,"block_after_inactivity_days":0,"password_max_age_days":0}`},
		{"contract", "reference", "", "C-1"},
		{"role", "", "member", "viewer"},
		{"status", "", "active", "suspended"},
		{"status", "", "suspended", "deleted"}, {"license", "", "held", ""},
	}
	var got []historyWant
	for _, c := range all.Changes {
		got = append(got, historyWant{c.Kind, c.Key, historyStr(c.Before), historyStr(c.After)})
	}
	if !reflect.DeepEqual(got, want) || all.Next != "" {
		t.Fatalf("history:\n got %v\nwant %v (next %q)", got, want, all.Next)
	}
	if c := all.Changes[4]; c.ValidUntil == nil || !c.ValidUntil.Equal(until) || c.EventType != domain.TypeVisaGranted || c.Actor != w.owner.String() {
		t.Errorf("visa change = %+v", c)
	}
	if c := all.Changes[13]; c.Reason != "left the lab team" || c.EventID != demoted.ID {
		t.Errorf("role change = %+v", c)
	}
	if c := all.Changes[14]; c.Reason != "unpaid invoice" {
		t.Errorf("suspension's reason = %q", c.Reason)
	}

	filtered := func(f HistoryFilter) []historyWant {
		t.Helper()
		page, err := MemberHistory(ctx, w.g.pool, w.ws, bob, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []historyWant
		for _, c := range page.Changes {
			out = append(out, historyWant{c.Kind, c.Key, historyStr(c.Before), historyStr(c.After)})
		}
		return out
	}
	if got := filtered(HistoryFilter{Kind: HistoryKindStatus}); !reflect.DeepEqual(got, []historyWant{want[0], want[3], want[14], want[15]}) {
		t.Errorf("status changes: %v", got)
	}
	if got := filtered(HistoryFilter{From: granted.Add(time.Second)}); !reflect.DeepEqual(got, want[13:]) {
		t.Errorf("changes from %s: %v", granted, got)
	}
	if got := filtered(HistoryFilter{To: joined.Add(time.Second)}); !reflect.DeepEqual(got, want[:4]) {
		t.Errorf("changes to %s: %v", joined, got)
	}
	if got := filtered(HistoryFilter{From: joined.Add(time.Second), To: granted, Kind: HistoryKindFeature}); !reflect.DeepEqual(got, want[6:11]) {
		t.Errorf("feature changes between: %v", got)
	}
	if got := filtered(HistoryFilter{}); len(got) != len(want) {
		t.Errorf("unfiltered: %d changes", len(got))
	}
	if none, _ := MemberHistory(ctx, w.g.pool, w.ws, uuid.New(), HistoryFilter{}); len(none.Changes) != 0 || none.Next != "" {
		t.Errorf("a stranger has history: %+v", none)
	}
	checkHistoryPages(t, w, bob, all.Changes)
}

// checkHistoryPages walks the history in pages of every size and compares with all.
func checkHistoryPages(t *testing.T, w *authzWorld, account uuid.UUID, all []HistoryChange) {
	t.Helper()
	for limit := 1; limit <= len(all)+1; limit++ {
		var got []HistoryChange
		cursor, pages := "", 0
		for {
			page, err := MemberHistory(context.Background(), w.g.pool, w.ws, account, HistoryFilter{Limit: limit, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			got, cursor, pages = append(got, page.Changes...), page.Next, pages+1
			if cursor == "" || pages > len(all)+1 {
				break
			}
		}
		if !reflect.DeepEqual(got, all) {
			t.Errorf("limit %d: pages give %d changes, want %d", limit, len(got), len(all))
		}
	}
}

func TestMemberHistoryInvalidFilters(t *testing.T) {
	t.Parallel()
	g := newGiven(t, History{})
	now := time.Now()
	for name, f := range map[string]HistoryFilter{
		"negative limit":  {Limit: -1},
		"limit above max": {Limit: HistoryMaxLimit + 1},
		"unknown kind":    {Kind: "password"},
		"to before from":  {From: now, To: now.Add(-time.Hour)},
		"empty interval":  {From: now, To: now},
		"cursor not b64":  {Cursor: "!!!"},
		"cursor garbage":  {Cursor: base64.RawURLEncoding.EncodeToString([]byte("yesterday"))},
		"cursor negative": {Cursor: base64.RawURLEncoding.EncodeToString([]byte("-4"))},
		"cursor seq zero": {Cursor: base64.RawURLEncoding.EncodeToString([]byte("0"))},
		"cursor padded":   {Cursor: base64.URLEncoding.EncodeToString([]byte("12"))},
	} {
		_, err := MemberHistory(context.Background(), g.pool, uuid.New(), uuid.New(), f)
		if !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%s: %v, want ErrInvalidQuery", name, err)
		}
	}
}
