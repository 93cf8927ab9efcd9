package history

import (
	"context"
	"encoding/base64"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/projectiontest"
)

type wantChange struct {
	kind, key, before, after string // "" for nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func TestMemberHistory(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewWorld(projectiontest.NewGiven(t, History{}))
	w.Module(domain.ModuleBooking, true, domain.RoleMember)
	cat, visa, project := w.Category("Microscopes"), w.Visa("Basic"), w.Project("Apollo")
	bob := w.Join(domain.RoleMember)
	joined := w.Now()
	until := w.Now().Add(time.Hour)
	w.GrantVisa(bob, cat, visa, &until)
	w.Access(bob, domain.ProjectRoleAssigned{WorkspaceID: w.WS, AccountID: bob, ProjectID: project, Role: domain.ProjectViewer})
	w.Access(bob, domain.ProjectRoleAssigned{WorkspaceID: w.WS, AccountID: bob, ProjectID: project, Role: domain.ProjectViewer}) // no change
	w.Access(bob, domain.PermissionsSet{WorkspaceID: w.WS, AccountID: bob, Grant: []string{"a.b", "c"}, Deny: []string{"d"}})
	w.Access(bob, domain.PermissionsSet{WorkspaceID: w.WS, AccountID: bob, Grant: []string{"c"}, Deny: []string{"a.b"}})
	w.Access(bob, domain.SecuritySettingsSet{WorkspaceID: w.WS, AccountID: bob, MFAEveryLogin: true})
	w.Access(bob, domain.ContractInfoSet{WorkspaceID: w.WS, AccountID: bob, Reference: "C-1"}) // contract information is history too
	granted := w.Now()
	demoted := w.WsEvent(domain.RoleChanged{AccountID: bob, From: domain.RoleMember, To: domain.RoleViewer})
	demoted.Metadata.Reason = "left the lab team"
	w.WsEvent(domain.MemberSuspended{AccountID: bob, Reason: "unpaid invoice"})
	w.WsEvent(domain.MemberDeleted{AccountID: bob, PreviousStatus: domain.StatusSuspended, DeletedAt: w.Now()})
	w.Apply(0)
	ctx := context.Background()

	all, err := MemberHistory(ctx, w.G.Pool, w.WS, bob, HistoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []wantChange{
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
	var got []wantChange
	for _, c := range all.Changes {
		got = append(got, wantChange{c.Kind, c.Key, str(c.Before), str(c.After)})
	}
	if !reflect.DeepEqual(got, want) || all.Next != "" {
		t.Fatalf("history:\n got %v\nwant %v (next %q)", got, want, all.Next)
	}
	if c := all.Changes[4]; c.ValidUntil == nil || !c.ValidUntil.Equal(until) || c.EventType != domain.TypeVisaGranted || c.Actor != w.Owner.String() {
		t.Errorf("visa change = %+v", c)
	}
	if c := all.Changes[13]; c.Reason != "left the lab team" || c.EventID != demoted.ID {
		t.Errorf("role change = %+v", c)
	}
	if c := all.Changes[14]; c.Reason != "unpaid invoice" {
		t.Errorf("suspension's reason = %q", c.Reason)
	}

	filtered := func(f HistoryFilter) []wantChange {
		t.Helper()
		page, err := MemberHistory(ctx, w.G.Pool, w.WS, bob, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []wantChange
		for _, c := range page.Changes {
			out = append(out, wantChange{c.Kind, c.Key, str(c.Before), str(c.After)})
		}
		return out
	}
	if got := filtered(HistoryFilter{Kind: HistoryKindStatus}); !reflect.DeepEqual(got, []wantChange{want[0], want[3], want[14], want[15]}) {
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
	if none, _ := MemberHistory(ctx, w.G.Pool, w.WS, uuid.New(), HistoryFilter{}); len(none.Changes) != 0 || none.Next != "" {
		t.Errorf("a stranger has history: %+v", none)
	}
	checkHistoryPages(t, w, bob, all.Changes)
}

// checkHistoryPages walks the history in pages of every size and compares with all.
func checkHistoryPages(t *testing.T, w *projectiontest.World, account uuid.UUID, all []HistoryChange) {
	t.Helper()
	for limit := 1; limit <= len(all)+1; limit++ {
		var got []HistoryChange
		cursor, pages := "", 0
		for {
			page, err := MemberHistory(context.Background(), w.G.Pool, w.WS, account, HistoryFilter{Limit: limit, Cursor: cursor})
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
	g := projectiontest.NewGiven(t, History{})
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
		_, err := MemberHistory(context.Background(), g.Pool, uuid.New(), uuid.New(), f)
		if !errors.Is(err, projections.ErrInvalidQuery) {
			t.Errorf("%s: %v, want ErrInvalidQuery", name, err)
		}
	}
}
