package app_test

import (
	"context"
	"errors"
	"fmt"
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
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// clock is a test clock that only moves when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixture is a workspace with its owner, on a fresh database.
type fixture struct {
	t     testing.TB
	pool  *pgxpool.Pool
	store *postgres.Store
	clock *clock
	svc   *app.Service
	ws    uuid.UUID
	owner domain.Actor
}

var platformAdmin = domain.Actor{AccountID: uuid.MustParse("00000000-0000-7000-8000-00000000a0a0"), PlatformAdmin: true}

// newFixture creates a workspace with seats seats, owned by owner@example.com.
func newFixture(t testing.TB, seats int) *fixture {
	t.Helper()
	return newFixtureOn(t, pgtest.NewPool(t), seats)
}

// newFixtureOn is newFixture on a pool of the caller's.
func newFixtureOn(t testing.TB, pool *pgxpool.Pool, seats int) *fixture {
	t.Helper()
	store, err := postgres.Open(context.Background(), pool, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	f := &fixture{t: t, pool: pool, store: store, clock: &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	f.svc = f.newService()
	created, err := f.svc.CreateWorkspace(context.Background(), app.Meta{Actor: platformAdmin}, app.CreateWorkspace{
		Name: "Lab", Seats: seats,
		Owner: domain.RegisterAccount{Email: "owner@example.com", FirstName: "Olga", LastName: "Owner"},
	})
	if err != nil {
		t.Fatalf("create workspace: %v", err)
	}
	f.ws, f.owner = created.WorkspaceID, domain.Actor{AccountID: created.OwnerAccountID}
	return f
}

// newService answers another service on the same store, as another process would run:
// its own cache and locks, so the two only meet through optimistic concurrency.
func (f *fixture) newService() *app.Service {
	return app.New(f.store, app.Options{Clock: f.clock.Now, TokenKey: []byte("test key")})
}

func (f *fixture) by(actor domain.Actor) app.Meta { return app.Meta{Actor: actor} }

// member invites email with role and accepts: an active member.
func (f *fixture) member(email string, role domain.WorkspaceRole) domain.Actor {
	f.t.Helper()
	inv, err := f.svc.InviteUser(context.Background(), f.by(f.owner), f.ws, app.InviteUser{
		Email: email, FirstName: "Mia", LastName: "Member", Role: role,
	})
	if err != nil {
		f.t.Fatalf("invite %s: %v", email, err)
	}
	if _, _, _, err := f.svc.AcceptInvitation(context.Background(), app.Meta{}, inv.Token); err != nil {
		f.t.Fatalf("accept %s: %v", email, err)
	}
	return domain.Actor{AccountID: inv.AccountID}
}

// define runs a catalog command as the owner and fails the test on error.
func (f *fixture) must(res app.Result, err error) app.Result {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// readAll answers the decoded events of a stream (none for a missing stream).
func (f *fixture) readAll(stream string) []domain.Event {
	f.t.Helper()
	stored, err := f.store.ReadStream(context.Background(), stream, eventstore.ReadStreamOptions{Limit: 10_000})
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		f.t.Fatal(err)
	}
	events := make([]domain.Event, len(stored))
	for i, e := range stored {
		if events[i], err = domain.DecodeEvent(e.Type, e.Data); err != nil {
			f.t.Fatal(err)
		}
	}
	return events
}

// fold rebuilds a stream's state from the store, as a new process would, and answers
// the number of events.
func (f *fixture) fold(stream string, state interface{ Apply(domain.Event) }) int64 {
	f.t.Helper()
	events := f.readAll(stream)
	for _, ev := range events {
		state.Apply(ev)
	}
	return int64(len(events))
}

func (f *fixture) workspace() *domain.Workspace {
	f.t.Helper()
	w := &domain.Workspace{}
	f.fold(domain.WorkspaceStream(f.ws), w)
	return w
}

func (f *fixture) access(account uuid.UUID) *domain.MemberAccess {
	f.t.Helper()
	m := domain.NewMemberAccess(f.ws, account)
	f.fold(domain.MemberStream(f.ws, account), m)
	return m
}

func (f *fixture) status(account uuid.UUID) domain.MemberStatus {
	f.t.Helper()
	e, ok := f.workspace().Member(account)
	if !ok {
		return ""
	}
	return e.Status
}

// wantCode fails the test unless err carries the domain error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !domain.IsCode(err, code) {
		t.Fatalf("error %v, want %s", err, code)
	}
}

func email(prefix string, i int) string { return fmt.Sprintf("%s%d@example.com", prefix, i) }
