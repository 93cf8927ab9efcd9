package projections

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

func TestBookingSameTablesWhateverTheBatchSize(t *testing.T) {
	t.Parallel()
	s := newAuthzScenario(newGiven(t, Booking{}))
	s.apply(1)
	all := s.replayInto(t, 0)
	threes := s.replayInto(t, 3)
	bulk := s.replayInto(t, -3)
	ctx := context.Background()
	for _, other := range []*given{all, threes, bulk} {
		authzSameTables(t, s.g, other)
		for _, m := range []uuid.UUID{s.owner, s.alice, s.bob, s.carol, s.dave, s.erin, s.frank, s.gina} {
			want, err := ListBookingAuthorizations(ctx, s.g.pool, s.ws, m)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ListBookingAuthorizations(ctx, other.pool, s.ws, m)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("member %s: batched %+v, one by one %+v", m, got, want)
			}
		}
		for _, c := range []uuid.UUID{s.microscopes, s.lasers} {
			for _, at := range s.marks {
				want, _ := AuthorizedForCategory(ctx, s.g.pool, s.ws, c, at)
				got, err := AuthorizedForCategory(ctx, other.pool, s.ws, c, at)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("category %s at %s: batched %+v, one by one %+v", c, at, got, want)
				}
			}
		}
	}
}

func TestListBookingAuthorizations(t *testing.T) {
	t.Parallel()
	w := newAuthzWorld(newGiven(t, Booking{}))
	w.module(domain.ModuleBooking, true, domain.RoleMember)
	cat1, cat2, visa := w.category("Microscopes"), w.category("Lasers"), w.visa("Basic")
	bob := w.join(domain.RoleMember)
	until := w.now().Add(48 * time.Hour)
	w.grantVisa(bob, cat1, visa, nil)
	first := w.grantVisa(bob, cat2, visa, &until)
	w.apply(0)

	got, err := ListBookingAuthorizations(context.Background(), w.g.pool, w.ws, bob)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d authorizations, want 2: %+v", len(got), got)
	}
	byCat := map[uuid.UUID]BookingAuthorization{got[0].CategoryID: got[0], got[1].CategoryID: got[1]}
	a := byCat[cat2]
	if a.VisaID != visa || a.ValidUntil == nil || !a.ValidUntil.Equal(until) || a.GrantedBy != w.owner.String() ||
		!a.GrantedAt.Equal(first.Metadata.OccurredAt) {
		t.Errorf("lasers grant = %+v", a)
	}
	if byCat[cat1].ValidUntil != nil {
		t.Errorf("microscopes grant has an end: %+v", byCat[cat1])
	}

	// a re-grant replaces, a revoke removes, an expiry removes, a clear removes the rest
	w.events = nil
	w.grantVisa(bob, cat1, visa, &until)
	w.access(bob, domain.VisaRevoked{WorkspaceID: w.ws, AccountID: bob, CategoryID: cat2})
	w.apply(1)
	got, _ = ListBookingAuthorizations(context.Background(), w.g.pool, w.ws, bob)
	if len(got) != 1 || got[0].CategoryID != cat1 || got[0].ValidUntil == nil {
		t.Fatalf("after re-grant and revoke: %+v", got)
	}
	w.events = nil
	w.access(bob, domain.VisaExpired{WorkspaceID: w.ws, AccountID: bob, CategoryID: cat1})
	w.grantVisa(bob, cat2, visa, nil)
	w.wsEvent(domain.LicenseDeactivated{AccountID: bob})
	w.wsEvent(domain.MemberDeleted{AccountID: bob, PreviousStatus: domain.StatusDeactivated})
	w.apply(0)
	got, _ = ListBookingAuthorizations(context.Background(), w.g.pool, w.ws, bob)
	if len(got) != 1 || got[0].CategoryID != cat2 {
		t.Fatalf("after expiry and grant: %+v", got)
	}
	if none, _ := ListBookingAuthorizations(context.Background(), w.g.pool, w.ws, uuid.New()); len(none) != 0 {
		t.Errorf("a stranger has authorizations: %+v", none)
	}
}

func TestBookingGrantsCleared(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		w := newAuthzWorld(newGiven(t, Booking{}))
		w.module(domain.ModuleBooking, true, domain.RoleMember)
		cat, visa := w.category("Microscopes"), w.visa("Basic")
		gina := uuid.New()
		w.account(gina)
		w.wsEvent(domain.MemberInvited{AccountID: gina, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: w.now().Add(time.Hour)})
		w.grantVisa(gina, cat, visa, nil)
		w.wsEvent(domain.InvitationRevoked{AccountID: gina})
		w.access(gina, domain.GrantsCleared{WorkspaceID: w.ws, AccountID: gina})
		w.wsEvent(domain.MemberInvited{AccountID: gina, Role: domain.RoleMember, TokenHash: "ef", ExpiresAt: w.now().Add(time.Hour)})
		w.wsEvent(domain.InvitationAccepted{AccountID: gina})
		w.apply(size)
		if got, _ := ListBookingAuthorizations(context.Background(), w.g.pool, w.ws, gina); len(got) != 0 {
			t.Errorf("size %d: cleared grants still listed: %+v", size, got)
		}
		if got, _ := AuthorizedForCategory(context.Background(), w.g.pool, w.ws, cat, w.now()); len(got) != 0 {
			t.Errorf("size %d: cleared grant authorizes: %+v", size, got)
		}
	}
}

func TestAuthorizedForCategory(t *testing.T) {
	t.Parallel()
	w := newAuthzWorld(newGiven(t, Booking{}))
	w.module(domain.ModuleBooking, true, domain.RoleMember)
	cat, other, basic, old := w.category("Microscopes"), w.category("Lasers"), w.visa("Basic"), w.visa("Old")
	bob, carol, dave := w.join(domain.RoleMember), w.join(domain.RoleViewer), w.join(domain.RoleManager)
	erin, fiona, hana, ivy := w.join(domain.RoleMember), w.join(domain.RoleMember), w.join(domain.RoleMember), w.join(domain.RoleMember)
	gus := uuid.New()
	w.account(gus)
	w.wsEvent(domain.MemberInvited{AccountID: gus, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: w.now().Add(time.Hour)})
	w.grantVisa(bob, cat, basic, nil)
	w.grantVisa(carol, cat, basic, nil) // viewer: below the module's minimum role
	w.grantVisa(dave, cat, basic, authzPtr(w.now().Add(time.Hour)))
	w.grantVisa(erin, cat, basic, nil)
	w.grantVisa(fiona, cat, old, nil)
	w.grantVisa(gus, cat, basic, nil) // invited, not active
	w.grantVisa(hana, other, basic, nil)
	w.grantVisa(ivy, cat, basic, nil)
	w.access(ivy, domain.VisaRevoked{WorkspaceID: w.ws, AccountID: ivy, CategoryID: cat})
	w.wsEvent(domain.MemberSuspended{AccountID: erin, Reason: "review"})
	w.wsEvent(domain.VisaRetired{VisaID: old})
	w.apply(0)

	check := func(name string, at time.Time, want ...uuid.UUID) {
		t.Helper()
		got, err := AuthorizedForCategory(context.Background(), w.g.pool, w.ws, cat, at)
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
	now := w.now()
	check("now", now, bob, dave)
	check("after dave's visa ends", now.Add(time.Hour), bob)

	w.events = nil
	w.module(domain.ModuleBooking, true, domain.RoleManager)
	w.apply(1)
	check("module raised to managers", w.now(), dave)
	w.events = nil
	w.module(domain.ModuleBooking, false, domain.RoleManager)
	w.apply(1)
	check("module disabled", w.now())
	w.events = nil
	w.module(domain.ModuleBooking, true, domain.RoleViewer)
	w.wsEvent(domain.MemberReinstated{AccountID: erin})
	w.apply(1)
	check("viewers, erin reinstated", w.now(), bob, carol, dave, erin)
	w.events = nil
	w.wsEvent(domain.BookingCategoryRetired{CategoryID: cat})
	w.apply(1)
	check("category retired", w.now())
}
