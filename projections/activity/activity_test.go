package activity

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/members"
	"accessledger/projections/projectiontest"
)

// allActivity answers every entry of the log, through StreamActivity.
func allActivity(t *testing.T, g *projectiontest.Given, ws uuid.UUID, f ActivityFilter) []ActivityEntry {
	t.Helper()
	var out []ActivityEntry
	if err := StreamActivity(context.Background(), g.Pool, ws, f, func(e ActivityEntry) error { out = append(out, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestActivityLogsEveryWorkspaceEventWithASummary(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Activity{}), 6, members.Members{})
	ids := projectiontest.Story(w)
	w.Apply(0)
	entries := allActivity(t, w.G, w.WS, ActivityFilter{Oldest: true})
	var logged []projections.Envelope
	for _, e := range w.Events {
		if ref, _ := domain.ParseStream(e.Stream); ref.Kind != domain.StreamKindAccount {
			logged = append(logged, e)
		}
	}
	if len(entries) != len(logged) {
		t.Fatalf("%d entries for %d workspace and member events", len(entries), len(logged))
	}
	for i, e := range entries {
		env := logged[i]
		if e.EventID != env.ID || e.Position != env.Position.String() || e.Type != env.Type || e.Stream != env.Stream ||
			e.Version != env.Version || !e.At.Equal(env.Metadata.OccurredAt) || e.Actor != env.Metadata.Actor || e.Summary == "" {
			t.Errorf("entry %d: %+v for %s %+v", i, e, env.Type, env.Metadata)
		}
	}
	summaries := map[string]bool{}
	for _, e := range entries {
		summaries[e.ActorName+": "+e.Summary] = true
	}
	for _, want := range []string{
		`Olivia Owner: created the workspace "Lab" with 6 seats, owned by Olivia Owner`,
		`Olivia Owner: enabled the module booking for member and above`,
		`Olivia Owner: invited Ada Lovelace as admin`,
		`Ada Lovelace: accepted the invitation`,
		`Olivia Owner: granted visa "Level 2" on "Microscopes" to Robert Builder until 2026-04-01 09:16 UTC`,
		`Olivia Owner: made Robert Builder contributor of the project "Apollo"`,
		`Olivia Owner: linked Robert Builder to the client "Acme"`,
		`Dan Dare: requested access to the workspace`,
		`Olivia Owner: approved the access request of Dan Dare as manager`,
		`Olivia Owner: rejected the access request of Eve Evans`,
		`Olivia Owner: revoked the invitation of Fay Wray`,
		`Olivia Owner: cleared the grants of Fay Wray`,
		`Olivia Owner: changed the role of Robert Builder from member to manager`,
		`Ada Lovelace: suspended Robert Builder until 2026-04-01 09:16 UTC`,
		`Olivia Owner: deactivated the license of Dan Dare`,
		`Olivia Owner: changed the plan to 8 seats`,
		`Olivia Owner: copied the permissions of Dan Dare to Robert Builder`,
		`Olivia Owner: set the permission overrides of Robert Builder: 1 granted, 1 denied`,
		`Olivia Owner: set the access of Robert Builder to company:acme to write`,
		`Olivia Owner: transferred the ownership from Olivia Owner to Ada Lovelace`,
		`Olivia Owner: deleted Dan Dare (was suspended)`,
		`Olivia Owner: restored Cyd Charisse as invited`,
		`system: expired the visa of Gil Grissom on "Microscopes"`,
		`system: purged Gil Grissom`,
		`Olivia Owner: archived the project "Gemini"`,
		`Olivia Owner: retired the visa "Level 2"`,
		`Olivia Owner: sent the welcome email to Robert Builder`,
	} {
		if !summaries[want] {
			t.Errorf("no entry %q", want)
		}
	}
	for _, e := range entries {
		if e.Type == domain.TypeMemberSuspended && e.AccountID == ids["bob"] && e.Reason != "unpaid invoice" {
			t.Errorf("suspension reason %q", e.Reason)
		}
	}
}

func TestActivityStoresNoPersonalData(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Activity{}), 6, members.Members{})
	ids := projectiontest.Story(w)
	w.Apply(0)
	for _, table := range (Activity{}).Tables() {
		for _, row := range projectiontest.Rows(t, w.G, table) {
			for _, personal := range []string{"Lovelace", "Robert", "Builder", "example.com", "engines", "+49"} {
				if strings.Contains(row, personal) {
					t.Errorf("%s holds %q: %s", table, personal, row)
				}
			}
		}
	}
	// Erasing an account's personal data needs no rewrite of the log: entries show its id.
	if _, err := w.G.Pool.Exec(context.Background(), "DELETE FROM "+projections.Qualified(projections.ReadSchema, members.AccountsTable)+" WHERE account_id = $1", ids["bob"]); err != nil {
		t.Fatal(err)
	}
	entries := allActivity(t, w.G, w.WS, ActivityFilter{Member: ids["bob"], Kind: "member.invited"})
	if len(entries) != 1 || entries[0].Summary != "invited "+ids["bob"].String()+" as member" || entries[0].MemberName != ids["bob"].String() {
		t.Errorf("erased account: %+v", entries)
	}
}

func TestActivityEscapesNamesThatLookLikePlaceholders(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Activity{}), 3, members.Members{})
	p := uuid.New()
	w.Roster(domain.ProjectCreated{ProjectID: p, Name: "{member} {{x}}"})
	w.Apply(1)
	w.Events = nil
	w.Roster(domain.ProjectArchived{ProjectID: p}) // the name comes from the stored catalog
	w.Apply(1)
	entries := allActivity(t, w.G, w.WS, ActivityFilter{Kind: "workspace.project_"})
	if len(entries) != 0 {
		t.Errorf("a partial type matched: %+v", entries)
	}
	entries = allActivity(t, w.G, w.WS, ActivityFilter{Kind: "workspace."})
	got := []string{}
	for _, e := range entries {
		got = append(got, e.Summary)
	}
	want := []string{`archived the project "{member} {{x}}"`, `created the project "{member} {{x}}"`, `created the workspace "Lab" with 3 seats, owned by Olivia Owner`}
	if !slices.Equal(got, want) {
		t.Errorf("summaries %q, want %q", got, want)
	}
}

func TestListActivityFiltersAndPages(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Activity{}), 6, members.Members{})
	ids := projectiontest.Story(w)
	w.Apply(0)
	ctx := context.Background()
	all := allActivity(t, w.G, w.WS, ActivityFilter{})
	for i := 1; i < len(all); i++ {
		if all[i-1].Position <= all[i].Position {
			t.Fatalf("not newest first at %d", i)
		}
	}
	count := func(keep func(ActivityEntry) bool) int {
		n := 0
		for _, e := range all {
			if keep(e) {
				n++
			}
		}
		return n
	}
	mid := all[len(all)/2].At
	cases := []struct {
		name string
		f    ActivityFilter
		want int
	}{
		{"actor", ActivityFilter{Actor: ids["ada"].String()}, count(func(e ActivityEntry) bool { return e.Actor == ids["ada"].String() })},
		{"system", ActivityFilter{Actor: "system"}, 2},
		{"member", ActivityFilter{Member: ids["bob"]}, count(func(e ActivityEntry) bool { return e.AccountID == ids["bob"] })},
		{"namespace", ActivityFilter{Kind: "access"}, count(func(e ActivityEntry) bool { return strings.HasPrefix(e.Type, "access.") })},
		{"exact type", ActivityFilter{Kind: "member.deleted"}, 3},
		{"from", ActivityFilter{From: mid}, count(func(e ActivityEntry) bool { return !e.At.Before(mid) })},
		{"to", ActivityFilter{To: mid}, count(func(e ActivityEntry) bool { return e.At.Before(mid) })},
		{"member and kind", ActivityFilter{Member: ids["dan"], Kind: "member"}, 6},
		{"unknown member", ActivityFilter{Member: uuid.New()}, 0},
	}
	for _, c := range cases {
		if got := allActivity(t, w.G, w.WS, c.f); len(got) != c.want || c.want == 0 && c.name != "unknown member" {
			t.Errorf("%s: %d entries, want %d", c.name, len(got), c.want)
		}
	}
	for _, oldest := range []bool{false, true} {
		f := ActivityFilter{Oldest: oldest, Limit: 6}
		var paged []ActivityEntry
		for {
			page, err := ListActivity(ctx, w.G.Pool, w.WS, f)
			if err != nil || len(page.Entries) > 6 {
				t.Fatalf("page: %d entries, %v", len(page.Entries), err)
			}
			paged = append(paged, page.Entries...)
			if page.Next == "" {
				break
			}
			f.Cursor = page.Next
		}
		want := slices.Clone(all)
		if oldest {
			slices.Reverse(want)
		}
		if !reflect.DeepEqual(paged, want) {
			t.Errorf("oldest %v: pages differ from the stream", oldest)
		}
		// The stream resumes from a cursor too.
		first, _ := ListActivity(ctx, w.G.Pool, w.WS, ActivityFilter{Oldest: oldest, Limit: 5})
		rest := allActivity(t, w.G, w.WS, ActivityFilter{Oldest: oldest, Cursor: first.Next})
		if !reflect.DeepEqual(append(first.Entries, rest...), want) {
			t.Errorf("oldest %v: stream from a cursor differs", oldest)
		}
	}
	if page, err := ListActivity(ctx, w.G.Pool, w.WS, ActivityFilter{}); err != nil || len(page.Entries) != ActivityDefaultLimit || page.Next == "" {
		t.Errorf("default page: %d entries, next %q, %v", len(page.Entries), page.Next, err)
	}
}

func TestActivityInvalidQueriesAndStreamErrors(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Activity{}), 3, members.Members{})
	w.Join("Bob", "Builder", domain.RoleMember)
	w.Apply(0)
	ctx := context.Background()
	newest, _ := ListActivity(ctx, w.G.Pool, w.WS, ActivityFilter{Limit: 1})
	now := time.Now()
	for name, f := range map[string]ActivityFilter{
		"limit":              {Limit: ActivityMaxLimit + 1},
		"negative limit":     {Limit: -3},
		"to before from":     {From: now, To: now.Add(-time.Hour)},
		"actor":              {Actor: "bob"},
		"kind":               {Kind: "Member.Invited"},
		"kind with wildcard": {Kind: "member.%"},
		"cursor":             {Cursor: "not a cursor"},
		"cursor of order":    {Cursor: newest.Next, Oldest: true},
		"cursor position":    {Cursor: cursor(false, "zz")},
	} {
		if _, err := ListActivity(ctx, w.G.Pool, w.WS, f); !errors.Is(err, projections.ErrInvalidQuery) {
			t.Errorf("%s: ListActivity err = %v, want ErrInvalidQuery", name, err)
		}
		if f.Limit != 0 {
			continue // StreamActivity ignores the limit
		}
		if err := StreamActivity(ctx, w.G.Pool, w.WS, f, func(ActivityEntry) error { return nil }); !errors.Is(err, projections.ErrInvalidQuery) {
			t.Errorf("%s: StreamActivity err = %v, want ErrInvalidQuery", name, err)
		}
	}
	stop := errors.New("client went away")
	calls := 0
	err := StreamActivity(ctx, w.G.Pool, w.WS, ActivityFilter{}, func(ActivityEntry) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("stream error: %v after %d calls", err, calls)
	}
}
