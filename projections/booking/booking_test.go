package booking

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections/projectiontest"
)

func TestListBookingAuthorizations(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewWorld(projectiontest.NewGiven(t, Booking{}))
	w.Module(domain.ModuleBooking, true, domain.RoleMember)
	cat1, cat2, visa := w.Category("Microscopes"), w.Category("Lasers"), w.Visa("Basic")
	bob := w.Join(domain.RoleMember)
	until := w.Now().Add(48 * time.Hour)
	w.GrantVisa(bob, cat1, visa, nil)
	first := w.GrantVisa(bob, cat2, visa, &until)
	w.Apply(0)

	got, err := ListBookingAuthorizations(context.Background(), w.G.Pool, w.WS, bob)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d authorizations, want 2: %+v", len(got), got)
	}
	byCat := map[uuid.UUID]BookingAuthorization{got[0].CategoryID: got[0], got[1].CategoryID: got[1]}
	a := byCat[cat2]
	if a.VisaID != visa || a.ValidUntil == nil || !a.ValidUntil.Equal(until) || a.GrantedBy != w.Owner.String() ||
		!a.GrantedAt.Equal(first.Metadata.OccurredAt) {
		t.Errorf("lasers grant = %+v", a)
	}
	if byCat[cat1].ValidUntil != nil {
		t.Errorf("microscopes grant has an end: %+v", byCat[cat1])
	}

	// a re-grant replaces, a revoke removes, an expiry removes, a clear removes the rest
	w.Events = nil
	w.GrantVisa(bob, cat1, visa, &until)
	w.Access(bob, domain.VisaRevoked{WorkspaceID: w.WS, AccountID: bob, CategoryID: cat2})
	w.Apply(1)
	got, _ = ListBookingAuthorizations(context.Background(), w.G.Pool, w.WS, bob)
	if len(got) != 1 || got[0].CategoryID != cat1 || got[0].ValidUntil == nil {
		t.Fatalf("after re-grant and revoke: %+v", got)
	}
	w.Events = nil
	w.Access(bob, domain.VisaExpired{WorkspaceID: w.WS, AccountID: bob, CategoryID: cat1})
	w.GrantVisa(bob, cat2, visa, nil)
	w.WsEvent(domain.LicenseDeactivated{AccountID: bob})
	w.WsEvent(domain.MemberDeleted{AccountID: bob, PreviousStatus: domain.StatusDeactivated})
	w.Apply(0)
	got, _ = ListBookingAuthorizations(context.Background(), w.G.Pool, w.WS, bob)
	if len(got) != 1 || got[0].CategoryID != cat2 {
		t.Fatalf("after expiry and grant: %+v", got)
	}
	if none, _ := ListBookingAuthorizations(context.Background(), w.G.Pool, w.WS, uuid.New()); len(none) != 0 {
		t.Errorf("a stranger has authorizations: %+v", none)
	}
}

func TestBookingGrantsCleared(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		w := projectiontest.NewWorld(projectiontest.NewGiven(t, Booking{}))
		w.Module(domain.ModuleBooking, true, domain.RoleMember)
		cat, visa := w.Category("Microscopes"), w.Visa("Basic")
		gina := uuid.New()
		w.Account(gina)
		w.WsEvent(domain.MemberInvited{AccountID: gina, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: w.Now().Add(time.Hour)})
		w.GrantVisa(gina, cat, visa, nil)
		w.WsEvent(domain.InvitationRevoked{AccountID: gina})
		w.Access(gina, domain.GrantsCleared{WorkspaceID: w.WS, AccountID: gina})
		w.WsEvent(domain.MemberInvited{AccountID: gina, Role: domain.RoleMember, TokenHash: "ef", ExpiresAt: w.Now().Add(time.Hour)})
		w.WsEvent(domain.InvitationAccepted{AccountID: gina})
		w.Apply(size)
		if got, _ := ListBookingAuthorizations(context.Background(), w.G.Pool, w.WS, gina); len(got) != 0 {
			t.Errorf("size %d: cleared grants still listed: %+v", size, got)
		}
		if got, _ := AuthorizedForCategory(context.Background(), w.G.Pool, w.WS, cat, w.Now()); len(got) != 0 {
			t.Errorf("size %d: cleared grant authorizes: %+v", size, got)
		}
	}
}

func TestAuthorizedForCategory(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewWorld(projectiontest.NewGiven(t, Booking{}))
	w.Module(domain.ModuleBooking, true, domain.RoleMember)
	cat, other, basic, old := w.Category("Microscopes"), w.Category("Lasers"), w.Visa("Basic"), w.Visa("Old")
	bob, carol, dave := w.Join(domain.RoleMember), w.Join(domain.RoleViewer), w.Join(domain.RoleManager)
	erin, fiona, hana, ivy := w.Join(domain.RoleMember), w.Join(domain.RoleMember), w.Join(domain.RoleMember), w.Join(domain.RoleMember)
	gus := uuid.New()
	w.Account(gus)
	w.WsEvent(domain.MemberInvited{AccountID: gus, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: w.Now().Add(time.Hour)})
	w.GrantVisa(bob, cat, basic, nil)
	w.GrantVisa(carol, cat, basic, nil) // viewer: below the module's minimum role
	w.GrantVisa(dave, cat, basic, projectiontest.Ptr(w.Now().Add(time.Hour)))
	w.GrantVisa(erin, cat, basic, nil)
	w.GrantVisa(fiona, cat, old, nil)
	w.GrantVisa(gus, cat, basic, nil) // invited, not active
	w.GrantVisa(hana, other, basic, nil)
	w.GrantVisa(ivy, cat, basic, nil)
	w.Access(ivy, domain.VisaRevoked{WorkspaceID: w.WS, AccountID: ivy, CategoryID: cat})
	w.WsEvent(domain.MemberSuspended{AccountID: erin, Reason: "review"})
	w.WsEvent(domain.VisaRetired{VisaID: old})
	w.Apply(0)

	check := func(name string, at time.Time, want ...uuid.UUID) {
		t.Helper()
		got, err := AuthorizedForCategory(context.Background(), w.G.Pool, w.WS, cat, at)
		if err != nil {
			t.Fatal(err)
		}
		ids := []uuid.UUID{}
		for _, a := range got {
			if a.CategoryID != cat {
				t.Errorf("%s: row of another category: %+v", name, a)
			}
			ids = append(ids, a.AccountID)
		}
		wantSet, gotSet := map[uuid.UUID]bool{}, map[uuid.UUID]bool{}
		for _, id := range want {
			wantSet[id] = true
		}
		for _, id := range ids {
			gotSet[id] = true
		}
		if !reflect.DeepEqual(gotSet, wantSet) || len(ids) != len(want) {
			t.Errorf("%s: authorized %v, want %v", name, ids, want)
		}
	}
	now := w.Now()
	check("now", now, bob, dave)
	check("after dave's visa ends", now.Add(time.Hour), bob)

	w.Events = nil
	w.Module(domain.ModuleBooking, true, domain.RoleManager)
	w.Apply(1)
	check("module raised to managers", w.Now(), dave)
	w.Events = nil
	w.Module(domain.ModuleBooking, false, domain.RoleManager)
	w.Apply(1)
	check("module disabled", w.Now())
	w.Events = nil
	w.Module(domain.ModuleBooking, true, domain.RoleViewer)
	w.WsEvent(domain.MemberReinstated{AccountID: erin})
	w.Apply(1)
	check("viewers, erin reinstated", w.Now(), bob, carol, dave, erin)
	w.Events = nil
	w.WsEvent(domain.BookingCategoryRetired{CategoryID: cat})
	w.Apply(1)
	check("category retired", w.Now())
}
