package scheduler

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
	"accessledger/projections"
	"accessledger/projections/due"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fakeClock is the time of a test, moved by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// world is a workspace whose visa, invitation and deletion fall due at known instants,
// with the due read model following its log.
type world struct {
	t                          *testing.T
	pool                       *pgxpool.Pool
	store                      *postgres.Store
	rt                         *projections.Runtime
	clock                      *fakeClock
	ws, owner, invitee, leaver uuid.UUID
	visaEnd, inviteEnd, purge  time.Time
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, pool: pgtest.NewPool(t), clock: &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	store, err := postgres.Open(ctx, w.pool, postgres.Options{PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	w.store = store
	svc := app.New(store, app.Options{Clock: w.clock.Now})
	platform := app.Meta{Actor: domain.Actor{AccountID: uuid.New(), PlatformAdmin: true}}
	created, err := svc.CreateWorkspace(ctx, platform, app.CreateWorkspace{Name: "Lab", Seats: 3,
		Owner: domain.RegisterAccount{Email: "owner@example.com", FirstName: "O", LastName: "Wner"}})
	must(t, err)
	w.ws, w.owner = created.WorkspaceID, created.OwnerAccountID
	owner := app.Meta{Actor: domain.Actor{AccountID: w.owner}}
	category := uuid.New()
	w.step(svc.SetModule(ctx, owner, w.ws, domain.SetModule{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleMember}))
	w.step(svc.DefineBookingCategory(ctx, owner, w.ws, domain.DefineBookingCategory{CategoryID: category, Name: "Scopes"}))
	visa := uuid.New()
	w.step(svc.DefineVisa(ctx, owner, w.ws, domain.DefineVisa{VisaID: visa, Name: "Basic"}))
	w.visaEnd = w.clock.Now().Add(2 * time.Hour)
	w.step(svc.GrantVisa(ctx, owner, w.ws, w.owner, domain.GrantVisa{CategoryID: category, VisaID: visa, ValidUntil: &w.visaEnd}))
	inv, err := svc.InviteUser(ctx, owner, w.ws, app.InviteUser{Email: "ivy@example.com", FirstName: "I", LastName: "Vy", Role: domain.RoleMember})
	must(t, err)
	w.invitee, w.inviteEnd = inv.AccountID, w.clock.Now().Add(domain.DefaultInvitationTTL)
	left, err := svc.InviteUser(ctx, owner, w.ws, app.InviteUser{Email: "lea@example.com", FirstName: "L", LastName: "Ea", Role: domain.RoleMember})
	must(t, err)
	w.leaver, w.purge = left.AccountID, domain.PurgeDue(w.clock.Now())
	w.step(svc.DeleteMember(ctx, owner, w.ws, domain.DeleteMember{AccountID: w.leaver}))
	w.rt = projections.NewRuntime(w.pool, store, []projections.Projection{due.Due{}}, projections.Options{})
	rtCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.rt.Run(rtCtx) }()
	t.Cleanup(func() { stop(); <-done })
	w.caughtUp()
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (w *world) step(_ app.Result, err error) { w.t.Helper(); must(w.t, err) }

// caughtUp waits for the due read model to reach the head of the log.
func (w *world) caughtUp() {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	head, err := w.store.Head(ctx)
	must(w.t, err)
	must(w.t, w.rt.WaitFor(ctx, head, "due"))
}

// scheduler answers a scheduler instance named owner on the world's database.
func (w *world) scheduler(owner string) *Scheduler {
	w.t.Helper()
	s := New(w.pool, func(clock func() time.Time) Commands {
		return app.New(w.store, app.Options{Clock: clock})
	}, Options{Owner: owner, Now: w.clock.Now, Interval: time.Hour})
	w.t.Cleanup(func() { s.Stop(context.Background()) })
	return s
}

// scheduled answers the events the system appended, by type, with their times.
func (w *world) scheduled() map[string][]time.Time {
	w.t.Helper()
	events, err := w.store.ReadAll(context.Background(), eventstore.Position{}, 10_000)
	must(w.t, err)
	out := map[string][]time.Time{}
	for _, e := range events {
		if e.Metadata.Actor == "system" {
			out[e.Type] = append(out[e.Type], e.Metadata.OccurredAt.UTC())
		}
	}
	return out
}

func (w *world) runOnce(s *Scheduler) (int, bool) {
	w.t.Helper()
	n, held, err := s.RunOnce(context.Background())
	must(w.t, err)
	return n, held
}
