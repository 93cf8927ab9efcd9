package members

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections/projectiontest"
)

func TestListMembersFilters(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Members{}), 20)
	ids := projectiontest.Story(w)
	zed := w.Register("Zed", "Zimmer", "zz@example.org", "zed42")
	w.Roster(domain.MemberInvited{AccountID: zed, Role: domain.RoleMember, TokenHash: domain.HashToken("z"), ExpiresAt: w.G.Now.Add(time.Hour)})
	w.Access(zed, domain.ProjectRoleAssigned{WorkspaceID: w.WS, AccountID: zed, ProjectID: ids["p2"], Role: domain.ProjectContributor})
	ids["zed"] = zed
	w.Apply(0)
	all := []string{"ada", "bob", "cyd", "dan", "olivia", "zed"}
	cases := []struct {
		name string
		f    MemberFilter
		want []string
	}{
		{"everyone but rejected, revoked and purged", MemberFilter{}, all},
		{"one status", MemberFilter{Status: []domain.MemberStatus{domain.StatusActive}}, []string{"ada", "bob", "olivia"}},
		{"two statuses", MemberFilter{Status: []domain.MemberStatus{domain.StatusInvited, domain.StatusDeleted}}, []string{"cyd", "dan", "zed"}},
		{"a status nobody has", MemberFilter{Status: []domain.MemberStatus{domain.StatusPending}}, nil},
		{"role", MemberFilter{Role: domain.RoleManager}, []string{"bob", "dan"}},
		{"project", MemberFilter{Project: ids["p2"]}, []string{"bob", "dan", "zed"}},
		{"project removed from ada", MemberFilter{Project: ids["p1"]}, nil},
		{"client", MemberFilter{Client: ids["acme"]}, []string{"ada"}},
		{"category", MemberFilter{Category: ids["cat"]}, []string{"ada"}},
		{"project and status", MemberFilter{Project: ids["p2"], Status: []domain.MemberStatus{domain.StatusActive, domain.StatusInvited}}, []string{"bob", "zed"}},
		{"last name, any case", MemberFilter{Q: "LOVE"}, []string{"ada"}},
		{"full name", MemberFilter{Q: "  ada lovelace "}, []string{"ada"}},
		{"changed first name", MemberFilter{Q: "robert"}, []string{"bob"}},
		{"old first name is gone", MemberFilter{Q: "Bob B"}, nil},
		{"email", MemberFilter{Q: "engines.EXAMPLE"}, []string{"ada"}},
		{"email domain", MemberFilter{Q: "@example.org"}, []string{"zed"}},
		{"long text, all of it found", MemberFilter{Q: "Lovelace ada@engines.example"}, []string{"ada"}},
		{"long text found only in part", MemberFilter{Q: "ada lovelace ada@other.example"}, nil},
		{"long text's percent is literal", MemberFilter{Q: "ada lovelace ada@engines%"}, nil},
		{"login only", MemberFilter{Q: "ed4"}, []string{"zed"}},
		{"percent is literal", MemberFilter{Q: "%"}, nil},
		{"underscore is literal", MemberFilter{Q: "a_a"}, nil},
		{"blank q selects all", MemberFilter{Q: "   "}, all},
		{"unknown project", MemberFilter{Project: uuid.New()}, nil},
	}
	names := map[uuid.UUID]string{}
	for name, id := range ids {
		names[id] = name
	}
	for _, c := range cases {
		page, err := ListMembers(context.Background(), w.G.Pool, w.WS, c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, m := range page.Members {
			got = append(got, names[m.AccountID])
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) || page.Next != "" {
			t.Errorf("%s: got %v (next %q), want %v", c.name, got, page.Next, c.want)
		}
	}
	page, _ := ListMembers(context.Background(), w.G.Pool, uuid.New(), MemberFilter{})
	if len(page.Members) != 0 || page.Members == nil {
		t.Errorf("unknown workspace: %+v", page)
	}
}

func TestListMembersSortsAndPages(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Members{}), 30)
	people := []struct {
		first, last string
		role        domain.WorkspaceRole
	}{
		{"Kim", "Kane", domain.RoleViewer}, {"Abe", "Adams", domain.RoleManager}, {"Sam", "Smith", domain.RoleMember},
		{"Sam", "Smith", domain.RoleAuditor}, {"Hal", "Hope", domain.RoleAdmin}, {"Eva", "Eden", domain.RoleMember},
		{"Pat", "Peel", domain.RoleViewer}, {"Cal", "Cruz", domain.RoleMember}, {"Uma", "Ulm", domain.RoleManager},
	}
	var accounts []uuid.UUID
	for i, p := range people {
		id := w.InviteAs(p.first, p.last, fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(p.first), strings.ToLower(p.last), i), "", p.role)
		w.Self(id, domain.InvitationAccepted{AccountID: id})
		accounts = append(accounts, id)
		switch i % 4 {
		case 1:
			w.Roster(domain.MemberSuspended{AccountID: id, Reason: "check"})
		case 2:
			w.Roster(domain.LicenseDeactivated{AccountID: id})
		case 3:
			w.Roster(domain.MemberDeleted{AccountID: id, PreviousStatus: domain.StatusActive, DeletedAt: w.G.Now})
		}
	}
	pending := w.Register("Ned", "Nash", "ned@example.com", "ned")
	w.Self(pending, domain.AccessRequested{AccountID: pending})
	w.Apply(0)
	ctx := context.Background()
	var members []Member
	for _, id := range append(accounts, w.Owner, pending) {
		m, _, _ := GetMember(ctx, w.G.Pool, w.WS, id)
		members = append(members, m)
	}
	keys := map[string]func(a, b Member) int{
		MemberSortName: func(a, b Member) int {
			return strings.Compare(strings.ToLower(a.FirstName+" "+a.LastName), strings.ToLower(b.FirstName+" "+b.LastName))
		},
		MemberSortEmail:     func(a, b Member) int { return strings.Compare(a.Email, b.Email) },
		MemberSortStatus:    func(a, b Member) int { return cmp.Compare(statusRank(a.Status), statusRank(b.Status)) },
		MemberSortRole:      func(a, b Member) int { return cmp.Compare(a.Role.Rank(), b.Role.Rank()) },
		MemberSortInvitedAt: func(a, b Member) int { return a.InvitedAt.Compare(b.InvitedAt) },
	}
	for key, compare := range keys {
		for _, desc := range []bool{false, true} {
			want := slices.Clone(members)
			slices.SortFunc(want, func(a, b Member) int {
				c := cmp.Or(compare(a, b), bytes.Compare(a.AccountID[:], b.AccountID[:]))
				if desc {
					return -c
				}
				return c
			})
			sort := key
			if desc {
				sort = "-" + key
			}
			got := allPages(t, w, MemberFilter{Sort: sort, Limit: 3})
			if !slices.Equal(got, accountIDs(want)) {
				t.Errorf("sort %s: got %v, want %v", sort, got, accountIDs(want))
			}
		}
	}
	if got := allPages(t, w, MemberFilter{Limit: 4, Status: []domain.MemberStatus{domain.StatusActive, domain.StatusDeleted}}); len(got) != 6 {
		t.Errorf("filtered pages: %d members, want 6", len(got))
	}
	first, err := ListMembers(ctx, w.G.Pool, w.WS, MemberFilter{})
	if err != nil || len(first.Members) != len(members) || first.Next != "" {
		t.Errorf("default page: %d members, next %q, %v", len(first.Members), first.Next, err)
	}
}

// allPages follows the cursors from the first page to the last.
func allPages(t *testing.T, w *projectiontest.LedgerWorld, f MemberFilter) []uuid.UUID {
	t.Helper()
	var out []uuid.UUID
	for range 100 {
		page, err := ListMembers(context.Background(), w.G.Pool, w.WS, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		if len(page.Members) > f.Limit {
			t.Fatalf("page of %d members, limit %d", len(page.Members), f.Limit)
		}
		out = append(out, accountIDs(page.Members)...)
		if page.Next == "" {
			return out
		}
		f.Cursor = page.Next
	}
	t.Fatal("cursors never end")
	return nil
}

func accountIDs(ms []Member) []uuid.UUID {
	out := make([]uuid.UUID, len(ms))
	for i, m := range ms {
		out[i] = m.AccountID
	}
	return out
}
