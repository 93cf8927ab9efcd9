package members

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/projectiontest"
)

func TestGetMemberFollowsTheLifecycle(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Members{}), 6)
		start := w.Events[1].Metadata.OccurredAt // workspace.created
		ids := projectiontest.Story(w)
		w.Apply(size)
		ctx := context.Background()
		get := func(name string) Member {
			m, ok, err := GetMember(ctx, w.G.Pool, w.WS, ids[name])
			if err != nil || !ok {
				t.Fatalf("size %d: GetMember(%s) = %v, %v", size, name, ok, err)
			}
			return m
		}
		ada, bob, cyd, dan, olivia := get("ada"), get("bob"), get("cyd"), get("dan"), get("olivia")
		var resent time.Time
		for _, e := range w.Events {
			if r, ok := e.Payload.(domain.InvitationResent); ok {
				resent = r.ExpiresAt
			}
		}
		checks := []struct {
			name string
			ok   bool
		}{
			{"owner created the workspace, then handed it to ada", olivia.Role == domain.RoleAdmin && olivia.Status == domain.StatusActive && olivia.InvitedAt.Equal(start) && olivia.JoinedAt != nil},
			{"ada is the owner with her new email", ada.Role == domain.RoleOwner && ada.Email == "ada@engines.example" && ada.Login == "ada"},
			{"ada's grants", reflect.DeepEqual(ada.Clients, []uuid.UUID{ids["acme"]}) && len(ada.Projects) == 0 &&
				len(ada.Visas) == 1 && ada.Visas[0].CategoryID == ids["cat"] && ada.Visas[0].VisaID == ids["visa"] && ada.Visas[0].ValidUntil == nil},
			{"bob's profile changed", bob.FirstName == "Robert" && bob.LastName == "Builder" && bob.Phone == "+4915112345678" && bob.Email == "bob.builder@example.com"},
			{"bob was promoted, reinstated and welcomed", bob.Role == domain.RoleManager && bob.Status == domain.StatusActive && bob.WelcomeSent &&
				bob.SuspensionReason == "" && bob.SuspendedUntil == nil && bob.JoinedAt != nil && bob.JoinedAt.After(bob.InvitedAt)},
			{"bob's project roles were copied, his client unlinked, his visa revoked", reflect.DeepEqual(bob.Projects, []MemberProject{{ids["p2"], domain.ProjectViewer}}) &&
				len(bob.Clients) == 0 && len(bob.Visas) == 0},
			{"cyd was deleted and restored to invited", cyd.Status == domain.StatusInvited && cyd.DeletedAt == nil && cyd.PreviousStatus == "" &&
				cyd.InvitationExpiresAt != nil && cyd.InvitationExpiresAt.Equal(resent) && cyd.JoinedAt == nil && cyd.Role == domain.RoleViewer},
			{"dan was requested, approved, suspended and deleted", dan.Status == domain.StatusDeleted && dan.PreviousStatus == domain.StatusSuspended &&
				dan.DeletedAt != nil && dan.DeletedAt.Equal(dan.StatusChangedAt) && dan.SuspensionReason == "audit" && dan.Role == domain.RoleManager &&
				dan.Login == "" && dan.JoinedAt != nil && dan.InvitationExpiresAt == nil},
			{"dan keeps his grants while deleted", reflect.DeepEqual(dan.Projects, []MemberProject{{ids["p2"], domain.ProjectAdmin}})},
		}
		for _, c := range checks {
			if !c.ok {
				t.Errorf("size %d: %s: %s", size, c.name, projectiontest.JSON([]Member{olivia, ada, bob, cyd, dan}))
			}
		}
		for _, gone := range []string{"eve", "fay", "gil"} {
			if m, ok, err := GetMember(ctx, w.G.Pool, w.WS, ids[gone]); ok || err != nil {
				t.Errorf("size %d: %s (rejected, revoked or purged) = %+v, %v", size, gone, m, err)
			}
		}
	}
}

func TestMemberSuspensionExpiryAndClearedGrants(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Members{}), 5)
	cat, visa, acme := uuid.New(), uuid.New(), uuid.New()
	w.Roster(domain.ModuleSet{Module: "booking", Enabled: true, MinRole: domain.RoleMember})
	w.Roster(domain.BookingCategoryDefined{CategoryID: cat, Name: "Lasers"})
	w.Roster(domain.VisaDefined{VisaID: visa, Name: "Basic"})
	w.Roster(domain.ClientRegistered{ClientID: acme, Name: "Acme"})
	bob := w.Join("Bob", "Builder", domain.RoleMember)
	until := w.G.Now.Add(72 * time.Hour).Truncate(time.Second)
	w.Access(bob, domain.VisaGranted{WorkspaceID: w.WS, AccountID: bob, CategoryID: cat, VisaID: visa, ValidUntil: &until})
	suspended := w.Roster(domain.MemberSuspended{AccountID: bob, Reason: "unpaid invoice", Until: &until})
	w.Later(73 * time.Hour)
	w.G.Actor = "system"
	w.Add(w.G.Event(domain.MemberStream(w.WS, bob), domain.VisaExpired{WorkspaceID: w.WS, AccountID: bob, CategoryID: cat}))
	// A revoked invitation's grants are cleared, so that a new invitation starts afresh.
	fay := w.Invite("Fay", "Wray", domain.RoleMember)
	w.Access(fay, domain.ClientLinked{WorkspaceID: w.WS, AccountID: fay, ClientID: acme})
	w.Roster(domain.InvitationRevoked{AccountID: fay})
	w.Access(fay, domain.GrantsCleared{WorkspaceID: w.WS, AccountID: fay})
	reinvited := w.Roster(domain.MemberInvited{AccountID: fay, Role: domain.RoleViewer, TokenHash: domain.HashToken("f2"), ExpiresAt: w.G.Now.Add(time.Hour)})
	for _, size := range []int{0, 1} {
		g := w.ReplayInto(t, size)
		m, ok, err := GetMember(context.Background(), g.Pool, w.WS, bob)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		if m.Status != domain.StatusSuspended || m.SuspensionReason != "unpaid invoice" || m.SuspendedUntil == nil || !m.SuspendedUntil.Equal(until) ||
			!m.StatusChangedAt.Equal(suspended.Metadata.OccurredAt) || m.StatusChangedAt.Location() != time.UTC || len(m.Visas) != 0 {
			t.Errorf("size %d: suspended member whose visa expired: %+v", size, m)
		}
		f, ok, err := GetMember(context.Background(), g.Pool, w.WS, fay)
		if err != nil || !ok || len(f.Clients) != 0 || f.Role != domain.RoleViewer || !f.InvitedAt.Equal(reinvited.Metadata.OccurredAt) ||
			!f.InvitationExpiresAt.Equal(reinvited.Payload.(domain.MemberInvited).ExpiresAt) {
			t.Errorf("size %d: invited again after a revocation: %+v, %v, %v", size, f, ok, err)
		}
	}
}

func TestMemberCounts(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Members{}), 6)
	projectiontest.Story(w)
	w.Apply(0)
	got, err := MemberCounts(context.Background(), w.G.Pool, w.WS)
	if err != nil {
		t.Fatal(err)
	}
	want := map[domain.MemberStatus]int{domain.StatusInvited: 1, domain.StatusPending: 0, domain.StatusActive: 3,
		domain.StatusSuspended: 0, domain.StatusDeactivated: 0, domain.StatusDeleted: 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("counts = %v, want %v", got, want)
	}
	empty, err := MemberCounts(context.Background(), w.G.Pool, uuid.New())
	if err != nil || len(empty) != 6 || empty[domain.StatusActive] != 0 {
		t.Errorf("counts of an unknown workspace = %v, %v", empty, err)
	}
}

func TestMemberProfileChangesReachEveryMembership(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Members{}), 5)
	bob := w.Join("Bob", "Builder", domain.RoleMember)
	ws2, owner2 := uuid.New(), w.Register("Tom", "Two", "tom@example.com", "tom")
	w.Add(w.G.By(owner2).Event(domain.WorkspaceStream(ws2), domain.WorkspaceCreated{WorkspaceID: ws2, Name: "Two", Seats: 3, OwnerAccountID: owner2}))
	w.Add(w.G.By(owner2).Event(domain.WorkspaceStream(ws2), domain.MemberInvited{AccountID: bob, Role: domain.RoleViewer, TokenHash: domain.HashToken("x"), ExpiresAt: w.G.Now.Add(time.Hour)}))
	w.Account(bob, domain.ProfileChanged{AccountID: bob, FirstName: "Bobby", LastName: "Tables", Phone: "+441234567"})
	w.Account(bob, domain.EmailChanged{AccountID: bob, OldEmail: "bob.builder@example.com", NewEmail: "bobby@example.com"})
	for _, size := range []int{1, 0} {
		g := w.ReplayInto(t, size)
		for _, ws := range []uuid.UUID{w.WS, ws2} {
			m, ok, err := GetMember(context.Background(), g.Pool, ws, bob)
			if err != nil || !ok || m.FirstName != "Bobby" || m.LastName != "Tables" || m.Phone != "+441234567" || m.Email != "bobby@example.com" || m.Login != "bob" {
				t.Errorf("size %d, workspace %s: %+v, %v, %v", size, ws, m, ok, err)
			}
		}
	}
}

func TestListMembersInvalidQueries(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Members{}), 5)
	w.Apply(0)
	ctx := context.Background()
	page, err := ListMembers(ctx, w.G.Pool, w.WS, MemberFilter{Sort: "email"})
	if err != nil || len(page.Members) != 1 || page.Next != "" {
		t.Fatalf("one member: %+v, %v", page, err)
	}
	other := sorts[MemberSortName]
	other.spec = "name"
	nameCursor := other.encode("olivia owner", w.Owner)
	other.spec = "invited_at"
	timeCursor := other.encode("yesterday", w.Owner)
	for name, f := range map[string]MemberFilter{
		"negative limit":       {Limit: -1},
		"limit above max":      {Limit: MembersMaxLimit + 1},
		"purged status":        {Status: []domain.MemberStatus{domain.StatusPurged}},
		"unknown status":       {Status: []domain.MemberStatus{"gone"}},
		"unknown role":         {Role: "boss"},
		"unknown sort":         {Sort: "phone"},
		"double dash":          {Sort: "--name"},
		"garbage cursor":       {Cursor: "!!!"},
		"json garbage cursor":  {Cursor: "e30"},
		"cursor of other sort": {Sort: "email", Cursor: nameCursor},
		"text cursor for time": {Sort: "invited_at", Cursor: timeCursor},
		"long q":               {Q: string(make([]byte, MembersMaxQ+1))},
	} {
		if _, err := ListMembers(ctx, w.G.Pool, w.WS, f); !errors.Is(err, projections.ErrInvalidQuery) {
			t.Errorf("%s: err = %v, want ErrInvalidQuery", name, err)
		}
	}
	if _, err := ListMembers(ctx, w.G.Pool, w.WS, MemberFilter{Cursor: nameCursor}); err != nil {
		t.Errorf("cursor of the same sort: %v", err)
	}
}
