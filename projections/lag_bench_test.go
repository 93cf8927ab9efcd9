package projections_test

import (
	"context"
	"flag"
	"fmt"
	"slices"
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
	"accessledger/projections/members"
	"accessledger/projections/readmodels"
)

// lagRate is the command rate of BenchmarkLag.
var lagRate = flag.Int("lag.rate", 200, "commands per second in BenchmarkLag")

// BenchmarkLag measures read-your-writes lag: with the runtime running every projection
// over the Postgres store, commands run through app.Service at a steady -lag.rate
// (invitations with a project role, role changes, project role changes, in turn, in four
// workspaces), and for each, the time from the command's return to the moment the
// members projection has passed the command's position (Runtime.WaitFor), which is when
// the member list shows it. The target is a p99 under 100 ms. The store and the
// runtime have serve's settings (the store polls the log every second when no wake-up
// comes), on a pool of 8 connections.
//
// One op is one command. The load is open-loop: a ticker issues the commands, each in a
// goroutine of its own that then waits, so that neither slow commands nor slow waits hold
// the next ones back. It reports p50-ms, p99-ms and max-ms of the lag, the commands/s
// achieved, and logs the commands' own latency. Low rates (-lag.rate 1) show how soon an
// event held back by an older open transaction is seen once that transaction ends: the
// store looks again within milliseconds while committed events are hidden.
func BenchmarkLag(b *testing.B) {
	pool, store, rt := startLagRuntime(b)
	svc := app.New(store, app.Options{TokenKey: []byte("bench key")})
	w := newLagWorld(b, svc, 4, 50)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := rt.WaitFor(ctx, w.last); err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var lags, took []time.Duration
	var wg sync.WaitGroup
	ticker := time.NewTicker(time.Second / time.Duration(*lagRate))
	defer ticker.Stop()
	start, i := time.Now(), 0
	var end time.Time
	for b.Loop() {
		<-ticker.C
		cmd := w.command(i)
		i++
		wg.Go(func() {
			issued := time.Now()
			pos, err := cmd()
			returned := time.Now()
			if err == nil && pos.IsZero() {
				err = fmt.Errorf("the command changed nothing")
			}
			if err == nil {
				err = rt.WaitFor(ctx, pos, "members")
			}
			if err != nil {
				b.Error(err)
				return
			}
			visible := time.Now()
			mu.Lock()
			defer mu.Unlock()
			lags, took = append(lags, visible.Sub(returned)), append(took, returned.Sub(issued))
			if returned.After(end) {
				end = returned
			}
		})
	}
	wg.Wait()
	if b.Failed() {
		return
	}
	checkLagWorld(b, pool, w)
	slices.Sort(lags)
	slices.Sort(took)
	b.ReportMetric(lagMillis(lags, 50), "p50-ms")
	b.ReportMetric(lagMillis(lags, 99), "p99-ms")
	b.ReportMetric(lagMillis(lags, 100), "max-ms")
	b.ReportMetric(float64(len(lags))/end.Sub(start).Seconds(), "commands/s")
	b.Logf("%d commands at %d/s: command latency p50 %.1f ms, p99 %.1f ms; lag p50 %.1f ms, p99 %.1f ms",
		len(took), *lagRate, lagMillis(took, 50), lagMillis(took, 99), lagMillis(lags, 50), lagMillis(lags, 99))
}

// startLagRuntime opens a pool and the store on a new database and runs every projection
// until the benchmark ends, with serve's settings.
func startLagRuntime(b *testing.B) (*pgxpool.Pool, *postgres.Store, *projections.Runtime) {
	b.Helper()
	config, err := pgxpool.ParseConfig(pgtest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	config.MaxConns = 8
	pool, err := pgxpool.NewWithConfig(context.Background(), config)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	store, err := postgres.Open(context.Background(), pool, postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(store.Close)
	rt := projections.NewRuntime(pool, store, readmodels.All(), projections.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := rt.Run(ctx); err != nil && ctx.Err() == nil {
			b.Errorf("runtime: %v", err)
		}
	}()
	b.Cleanup(func() { cancel(); <-done })
	return pool, store, rt
}

// lagMillis answers the q-th percentile of sorted durations, in milliseconds.
func lagMillis(sorted []time.Duration, q int) float64 {
	i := min(len(sorted)-1, (len(sorted)*q+99)/100-1)
	return float64(sorted[max(i, 0)]) / float64(time.Millisecond)
}

// lagWorld is the workspaces BenchmarkLag works in, with their owners, a project each
// and active members.
type lagWorld struct {
	svc        *app.Service
	workspaces []lagWorkspace
	members    int                 // member list rows: owners, members, invitations
	last       eventstore.Position // of the setup
}

type lagWorkspace struct {
	id, project uuid.UUID
	owner       app.Meta
	members     []uuid.UUID
}

// newLagWorld creates n workspaces with m active members each, through commands.
func newLagWorld(b *testing.B, svc *app.Service, n, m int) *lagWorld {
	b.Helper()
	ctx := context.Background()
	admin := app.Meta{Actor: domain.Actor{AccountID: uuid.New(), PlatformAdmin: true}}
	w := &lagWorld{svc: svc}
	for k := range n {
		created, err := svc.CreateWorkspace(ctx, admin, app.CreateWorkspace{Name: fmt.Sprint("Lab ", k), Seats: 100_000,
			Owner: domain.RegisterAccount{Email: fmt.Sprintf("owner-%d-%s@example.com", k, uuid.NewString()[:8]), FirstName: "O", LastName: "Wner"}})
		if err != nil {
			b.Fatal(err)
		}
		ws := lagWorkspace{id: created.WorkspaceID, project: uuid.New(), owner: app.Meta{Actor: domain.Actor{AccountID: created.OwnerAccountID}}}
		if _, err := svc.CreateProject(ctx, ws.owner, ws.id, domain.CreateProject{ProjectID: ws.project, Name: "P"}); err != nil {
			b.Fatal(err)
		}
		w.members += 1 + m
		for range m {
			inv, err := w.invite(ws)
			if err != nil {
				b.Fatal(err)
			}
			res, _, _, err := svc.AcceptInvitation(ctx, app.Meta{}, inv.Token)
			if err != nil {
				b.Fatal(err)
			}
			ws.members, w.last = append(ws.members, inv.AccountID), res.Position
		}
		w.workspaces = append(w.workspaces, ws)
	}
	return w
}

// invite invites a new person into ws with a project role.
func (w *lagWorld) invite(ws lagWorkspace) (app.Invitation, error) {
	return w.svc.InviteUser(context.Background(), ws.owner, ws.id, app.InviteUser{
		Email: "m-" + uuid.NewString() + "@example.com", FirstName: "Mia", LastName: "Member", Role: domain.RoleMember,
		Projects: []app.ProjectGrant{{ProjectID: ws.project, Role: domain.ProjectContributor}},
	})
}

// command answers the i-th command of the load: an invitation, a role change or a
// project role change, in turn, cycling through the workspaces and their members so
// that two commands on one member are a whole cycle apart, each changing something.
func (w *lagWorld) command(i int) func() (eventstore.Position, error) {
	ctx := context.Background()
	ws := w.workspaces[i%len(w.workspaces)]
	per := len(w.workspaces) * 3
	member := ws.members[(i/per)%len(ws.members)]
	flip := (i / (per * len(ws.members))) % 2
	switch i % 3 {
	case 0:
		w.members++
		return func() (eventstore.Position, error) {
			inv, err := w.invite(ws)
			return inv.Position, err
		}
	case 1:
		role := []domain.WorkspaceRole{domain.RoleManager, domain.RoleMember}[flip]
		return func() (eventstore.Position, error) {
			res, err := w.svc.ChangeRole(ctx, ws.owner, ws.id, domain.ChangeRole{AccountID: member, Role: role})
			return res.Position, err
		}
	default:
		role := []domain.ProjectRole{domain.ProjectViewer, domain.ProjectContributor}[flip]
		return func() (eventstore.Position, error) {
			res, err := w.svc.AssignProjectRole(ctx, ws.owner, ws.id, member, domain.AssignProjectRole{ProjectID: ws.project, Role: role})
			return res.Position, err
		}
	}
}

// checkLagWorld fails unless every projection is healthy and the member list has a row
// for every owner, member and invitation.
func checkLagWorld(b *testing.B, pool *pgxpool.Pool, w *lagWorld) {
	b.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT name, coalesce(last_error, '') FROM projection_checkpoints WHERE state = $1`, projections.StateFailed)
	if err != nil {
		b.Fatal(err)
	}
	var name, lastErr string
	for rows.Next() {
		if err := rows.Scan(&name, &lastErr); err != nil {
			b.Fatal(err)
		}
		b.Errorf("projection %s failed: %s", name, lastErr)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	var got int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+projections.Qualified(projections.ReadSchema, members.MembersTable)).Scan(&got); err != nil {
		b.Fatal(err)
	}
	if got != w.members {
		b.Errorf("the member list has %d rows, want %d", got, w.members)
	}
}
