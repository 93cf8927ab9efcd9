package app_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/eventstore"
)

// TestConcurrentInvitationsRespectTheQuota sends 50 invitations at once into a workspace
// with 10 free seats, through two services on one store as two processes would: exactly
// 10 land, the 40 others are quota_exceeded, and the roster never exceeds the plan.
func TestConcurrentInvitationsRespectTheQuota(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 11) // the owner holds one seat
	services := []*app.Service{f.svc, f.newService()}
	var invited, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := services[i%2].InviteUser(context.Background(), f.by(f.owner), f.ws, app.InviteUser{
				Email: email("burst", i), FirstName: "B", LastName: "Urst", Role: domain.RoleMember,
			})
			switch {
			case err == nil:
				invited.Add(1)
			case domain.IsCode(err, domain.CodeQuotaExceeded):
				refused.Add(1)
			default:
				t.Errorf("invitation %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if invited.Load() != 10 || refused.Load() != 40 {
		t.Fatalf("%d invited, %d quota_exceeded; want 10 and 40", invited.Load(), refused.Load())
	}
	// Replay the workspace event by event: no prefix of its history exceeds the plan.
	w := &domain.Workspace{}
	events := f.readAll(domain.WorkspaceStream(f.ws))
	for _, ev := range events {
		w.Apply(ev)
		if w.SeatsUsed() > w.Seats() {
			t.Fatalf("after %s the roster uses %d of %d seats", ev.EventType(), w.SeatsUsed(), w.Seats())
		}
	}
	if w.SeatsUsed() != 11 {
		t.Errorf("%d seats used, want 11", w.SeatsUsed())
	}
}

// TestConcurrentUpdatesOnOneMemberLoseNothing changes one member's role, license and
// visas at once from two services: every command that answered success left exactly
// its event, and every granted visa is there.
func TestConcurrentUpdatesOnOneMemberLoseNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5)
	ctx := context.Background()
	target := f.member("busy@example.com", domain.RoleMember).AccountID
	f.must(f.svc.SetModule(ctx, f.by(f.owner), f.ws, domain.SetModule{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleMember}))
	visa := uuid.New()
	f.must(f.svc.DefineVisa(ctx, f.by(f.owner), f.ws, domain.DefineVisa{VisaID: visa, Name: "trained"}))
	categories := make([]uuid.UUID, 12)
	for i := range categories {
		categories[i] = uuid.New()
		f.must(f.svc.DefineBookingCategory(ctx, f.by(f.owner), f.ws, domain.DefineBookingCategory{CategoryID: categories[i], Name: "category"}))
	}
	rosterBefore := f.fold(domain.WorkspaceStream(f.ws), &domain.Workspace{})
	services := []*app.Service{f.svc, f.newService()}

	var rosterChanges atomic.Int64
	var wg sync.WaitGroup
	// Role changes race each other; an answer without a position asked for the role the
	// member already had and appended nothing.
	for i := range 8 {
		wg.Go(func() {
			role := []domain.WorkspaceRole{domain.RoleManager, domain.RoleViewer}[i%2]
			res, err := services[i%2].ChangeRole(ctx, f.by(f.owner), f.ws, domain.ChangeRole{AccountID: target, Role: role})
			switch {
			case err == nil && !res.Position.IsZero():
				rosterChanges.Add(1)
			case err != nil && !domain.IsCode(err, domain.CodeInvalidTransition):
				t.Errorf("change role: %v", err) // invalid_transition: deactivated meanwhile
			}
		})
	}
	// The license goes off and on twice, alternating between the services.
	wg.Go(func() {
		for i := range 4 {
			var err error
			if i%2 == 0 {
				_, err = services[i%2].DeactivateLicense(ctx, f.by(f.owner), f.ws, domain.DeactivateLicense{AccountID: target})
			} else {
				_, err = services[i%2].ReactivateLicense(ctx, f.by(f.owner), f.ws, domain.ReactivateLicense{AccountID: target})
			}
			if err != nil {
				t.Errorf("license change %d: %v", i, err)
				return
			}
			rosterChanges.Add(1)
		}
	})
	// Visa grants are refused while the license is off (member_frozen) and tried again.
	for i, category := range categories {
		wg.Go(func() {
			for attempt := 0; ; attempt++ {
				_, err := services[i%2].GrantVisa(ctx, f.by(f.owner), f.ws, target, domain.GrantVisa{CategoryID: category, VisaID: visa})
				if err == nil {
					return
				}
				if !domain.IsCode(err, domain.CodeMemberFrozen) || attempt == 500 {
					t.Errorf("grant %d: %v", i, err)
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	wg.Wait()

	if n := f.fold(domain.WorkspaceStream(f.ws), &domain.Workspace{}) - rosterBefore; n != rosterChanges.Load() {
		t.Errorf("%d roster events appended, %d roster commands reported one", n, rosterChanges.Load())
	}
	access := f.access(target)
	for _, category := range categories {
		if _, ok := access.Visa(category); !ok {
			t.Errorf("visa on category %s was granted but is missing", category)
		}
	}
	if n := f.fold(domain.MemberStream(f.ws, target), domain.NewMemberAccess(f.ws, target)); int(n) != len(categories) {
		t.Errorf("member stream holds %d events, want one per grant (%d)", n, len(categories))
	}
}

// TestConcurrentInvitationsInOneProcessWriteNothingWhenRefused sends 30 invitations at
// once into a workspace with 10 free seats through one service. Each invitation's
// claim, account and roster entry are one append: 10 land, and the 20 refused claim no
// email and register no account.
func TestConcurrentInvitationsInOneProcessWriteNothingWhenRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 11)
	errs := make([]error, 30)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.InviteUser(context.Background(), f.by(f.owner), f.ws, app.InviteUser{
				Email: email("rush", i), FirstName: "R", LastName: "Ush", Role: domain.RoleMember,
			})
		}()
	}
	wg.Wait()
	invited := 0
	for i, err := range errs {
		_, readErr := f.store.ReadStream(context.Background(), domain.EmailClaimStream(email("rush", i)), eventstore.ReadStreamOptions{})
		switch {
		case err == nil:
			invited++
		case !domain.IsCode(err, domain.CodeQuotaExceeded):
			t.Errorf("invitation %d: %v", i, err)
		case !errors.Is(readErr, eventstore.ErrStreamNotFound):
			t.Errorf("refused invitation %d claimed its email: %v", i, readErr)
		}
	}
	if invited != 10 {
		t.Errorf("%d invited, want 10", invited)
	}
}
