package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/internal/pgtest"
)

// BenchmarkCommands measures command handling (load from cache, decide, append) against
// raw single-event appends on the same database in the same run. One op is one command
// that appends one event (a role change). The figures to watch are the ratios of
// hot-workspace and many-workspaces to append at the same concurrency.
//
//   - append: store appends, each goroutine to a stream of its own;
//   - hot-workspace: every goroutine changes roles in ONE workspace, so commands queue
//     behind its stream lock (the price of the quota invariant);
//   - many-workspaces: each goroutine works in a workspace of its own.
func BenchmarkCommands(b *testing.B) {
	cfg, err := pgxpool.ParseConfig(pgtest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = 32
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	hot := newFixtureOn(b, pool, 100_000) // each calibration round invites members anew
	for _, c := range []int{1, 16} {
		b.Run(fmt.Sprintf("append-c%d", c), func(b *testing.B) { runCommands(b, c, appendWorker(hot)) })
		b.Run(fmt.Sprintf("hot-workspace-c%d", c), func(b *testing.B) { runCommands(b, c, roleWorker(hot)) })
		b.Run(fmt.Sprintf("many-workspaces-c%d", c), func(b *testing.B) {
			runCommands(b, c, func(b *testing.B, i int) func() error {
				return roleWorker(newFixtureOnShared(b, hot, i))(b, 0)
			})
		})
	}
}

// newFixtureOnShared creates another workspace on f's store and service.
func newFixtureOnShared(b *testing.B, f *fixture, i int) *fixture {
	created, err := f.svc.CreateWorkspace(context.Background(), app.Meta{Actor: platformAdmin}, app.CreateWorkspace{
		Name: "Bench", Seats: 5, Owner: domain.RegisterAccount{Email: email(fmt.Sprintf("owner-%s-", uuid.NewString()[:8]), i), FirstName: "O", LastName: "Wner"},
	})
	if err != nil {
		b.Fatal(err)
	}
	other := *f
	other.ws, other.owner = created.WorkspaceID, domain.Actor{AccountID: created.OwnerAccountID}
	return &other
}

// roleWorker answers, for goroutine i, an op that flips a member of f's workspace of its
// own between two roles.
func roleWorker(f *fixture) func(*testing.B, int) func() error {
	return func(b *testing.B, i int) func() error {
		member := f.member(email("bench-"+uuid.NewString()[:8]+"-", i), domain.RoleMember).AccountID
		roles := []domain.WorkspaceRole{domain.RoleManager, domain.RoleMember}
		n := 0
		return func() error {
			n++
			_, err := f.svc.ChangeRole(context.Background(), f.by(f.owner), f.ws, domain.ChangeRole{AccountID: member, Role: roles[n%2]})
			return err
		}
	}
}

// appendWorker answers an op that appends one role-change-sized event to a stream of
// the goroutine's own, through the store alone.
func appendWorker(f *fixture) func(*testing.B, int) func() error {
	return func(b *testing.B, i int) func() error {
		stream, version := "bench-"+uuid.NewString(), int64(0)
		data, _ := json.Marshal(domain.RoleChanged{AccountID: uuid.New(), From: domain.RoleMember, To: domain.RoleManager})
		return func() error {
			_, err := f.store.Append(context.Background(), stream, eventstore.Exact(version), eventstore.EventData{
				ID: uuid.New(), Type: domain.TypeRoleChanged, Data: data,
				Metadata: eventstore.Metadata{CommandID: uuid.New(), Actor: f.owner.AccountID.String()},
			})
			version++
			return err
		}
	}
}

// runCommands shares b.N ops among c goroutines, each with an op of its own made before
// the timer starts.
func runCommands(b *testing.B, c int, newOp func(*testing.B, int) func() error) {
	ops := make([]func() error, c)
	for i := range ops {
		ops[i] = newOp(b, i)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for _, op := range ops {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if err := op(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commands/s")
}
