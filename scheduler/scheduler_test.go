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
	appended                   *lastAppend
}

// lastAppend remembers the last position the schedulers' commands answered. The store's
// head is the last event readers can see, which a transaction still running elsewhere (a
// projection's, the lease's) can hold below an append that has already returned.
type lastAppend struct {
	mu  sync.Mutex
	pos eventstore.Position
}

func (l *lastAppend) note(res app.Result, err error) (app.Result, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pos.Before(res.Position) {
		l.pos = res.Position
	}
	return res, err
}

func (l *lastAppend) get() eventstore.Position {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pos
}

// noting is the scheduler's commands, noting where each one's events are.
type noting struct {
	Commands
	last *lastAppend
}

func (n noting) ExpireVisas(ctx context.Context, meta app.Meta, ws, account uuid.UUID) (app.Result, error) {
	return n.last.note(n.Commands.ExpireVisas(ctx, meta, ws, account))
}

func (n noting) ExpireInvitation(ctx context.Context, meta app.Meta, ws uuid.UUID, cmd domain.ExpireInvitation) (app.Result, error) {
	return n.last.note(n.Commands.ExpireInvitation(ctx, meta, ws, cmd))
}

func (n noting) PurgeMember(ctx context.Context, meta app.Meta, ws uuid.UUID, cmd domain.PurgeMember) (app.Result, error) {
	return n.last.note(n.Commands.PurgeMember(ctx, meta, ws, cmd))
}

func (n noting) PurgeWorkspace(ctx context.Context, meta app.Meta, ws uuid.UUID) (app.Result, error) {
	return n.last.note(n.Commands.PurgeWorkspace(ctx, meta, ws))
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, pool: pgtest.NewPool(t), clock: &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)},
		appended: &lastAppend{}}
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

// caughtUp waits for the due read model to reach the head of the log and every event
// the schedulers appended.
func (w *world) caughtUp() {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	head, err := w.store.Head(ctx)
	must(w.t, err)
	if head.Before(w.appended.get()) {
		head = w.appended.get()
	}
	must(w.t, w.rt.WaitFor(ctx, head, "due"))
}

// scheduler answers a scheduler instance named owner on the world's database.
func (w *world) scheduler(owner string) *Scheduler {
	w.t.Helper()
	s := New(w.pool, func(clock func() time.Time) Commands {
		return noting{Commands: app.New(w.store, app.Options{Clock: clock}), last: w.appended}
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
