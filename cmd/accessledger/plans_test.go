package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/apitoken"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
	"accessledger/projections/readmodels"
)

// TestHotPathPlans proves that no statement the service runs per command, per read, per
// projection wake-up or per projection batch can scan the event log, a read model or
// the API tokens in full, whichever plan PostgreSQL caches for it. pgx runs statements
// as prepared statements, which PostgreSQL may switch to a generic plan, made without
// the parameters' values, after five executions: such a plan of a query over a big table
// may be a sequential scan where every custom plan was an index scan.
//
// On a database whose growing tables hold planSizes.minRows rows, it serves the API,
// runs every route, lets the projections apply what the commands wrote, and reads from
// pg_stat_statements what the database ran. Each statement must be in hotPathStatements
// (or excluded by planExclusions, logged); the generic plan of each listed statement
// must scan no table in full but the bounded ones of planBounded.
func TestHotPathPlans(t *testing.T) {
	size := fullPlanSizes
	if testing.Short() {
		size = shortPlanSizes
	}
	start := time.Now()
	env := planSetup(t, size)
	t.Logf("setup: %d members, %d workspaces seeded and projected in %s", size.members, size.workspaces+size.big, time.Since(start).Round(time.Second))

	start = time.Now()
	env.serve(t)
	env.workload(t)
	ran := planReadStatements(t, env.pool)
	t.Logf("workload: %d statements in %s", len(ran), time.Since(start).Round(time.Second))

	start = time.Now()
	planCheckPlans(t, env.url, planSelect(t, ran))
	t.Logf("plans: checked in %s", time.Since(start).Round(time.Second))
}

// planEnv is the served database of TestHotPathPlans.
type planEnv struct {
	url                  string
	pool                 *pgxpool.Pool
	store                *postgres.Store // the test's own, for the log's head
	served               *serving
	world                planWorld
	platform, ownerToken string
}

// planSetup seeds a database of size, serves it until the projections have applied the
// whole log, stops serving, and VACUUM ANALYZEs it, as autovacuum would have done by then.
func planSetup(t *testing.T, size planSizes) *planEnv {
	t.Helper()
	ctx := context.Background()
	env := &planEnv{url: pgtest.NewDatabase(t)}
	t.Setenv("DATABASE_URL", env.url)
	t.Setenv("EVENTSTORE_URL", "")
	var err error
	if env.pool, err = pgxpool.New(ctx, env.url); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.pool.Close)
	planRequireStatements(t, env.pool)
	if env.store, err = postgres.Open(ctx, env.pool, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.store.Close)
	env.world = seedPlanWorld(t, env.store, env.pool, size)
	env.platform = platformToken(t)
	_, env.ownerToken, err = apitoken.NewStore(env.pool).Issue(ctx, apitoken.Spec{AccountID: env.world.owner, WorkspaceID: env.world.ws, Name: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	first := startServe(t, "--addr", "127.0.0.1:0", "--log-level", "warn")
	env.waitProjected(t)
	if code := first.stop(t); code != 0 {
		t.Fatalf("serve: exit status %d", code)
	}
	if _, err := env.pool.Exec(ctx, planMarker+"VACUUM ANALYZE"); err != nil {
		t.Fatal(err)
	}
	planCheckSizes(t, env.pool, size)
	return env
}

// serve resets pg_stat_statements and serves the database again. The statements of a
// serve started before the reset would show with their constants in place: pgx
// prepares each statement once per connection, and pg_stat_statements replaces the
// constants by parameters only for an entry that a parse creates.
func (env *planEnv) serve(t *testing.T) {
	t.Helper()
	planResetStatements(t, env.pool)
	env.served = startServe(t, "--addr", "127.0.0.1:0", "--log-level", "warn")
	env.waitProjected(t)
}

// waitProjected waits until every projection has applied the log up to its head now.
func (env *planEnv) waitProjected(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	head, err := env.store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		var n int
		// Positions are fixed-width hexadecimal: they compare as text.
		err := env.pool.QueryRow(ctx, planMarker+`SELECT count(*) FROM projection_checkpoints
			WHERE position >= $1 AND state = 'running'`, head.String()).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n == len(readmodels.All()) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the projections did not apply the log within 10 minutes")
}

// workload runs every route over HTTP, waiting after the commands until the projections
// have applied what they wrote, and reads with and without a consistency token.
func (env *planEnv) workload(t *testing.T) {
	t.Helper()
	platform := &apiClient{t: t, base: env.served.url, token: env.platform}
	h := &hotPath{t: t, w: env.world, platform: platform, owner: platform.as(env.ownerToken),
		base: "/v1/workspaces/" + env.world.ws.String()}
	h.settle = func() { env.waitProjected(t) }
	h.commands()
	stale := h.owner.as(h.owner.token)
	stale.consistency = ""
	h.reads(stale)
	h.reads(h.owner)
}

// planSelect answers the statements whose plans to check: the listed ones, and those
// the workload ran that are not listed, which fail the test. It logs the statements
// the exclusion rules leave out, and the listed ones the workload did not run.
func planSelect(t *testing.T, ran []planStatement) []planListed {
	t.Helper()
	listed := map[string]bool{}
	for _, l := range hotPathStatements {
		listed[planKey(l.sql)] = true
	}
	seen := map[string]bool{}
	var unlisted []planListed
	for _, s := range ran {
		if why := planExcluded(s.sql); why != "" {
			t.Logf("not checked (%s): %s", why, s.sql)
			continue
		}
		key := planKey(s.sql)
		seen[key] = true
		if !listed[key] {
			t.Errorf("the workload ran a statement (%d times) that is not in hotPathStatements: add it to the list after checking its plan\n\t{from: \"<file> <function>: <what runs it>\",\n\t\tsql: %s},", s.calls, planGoLiteral(s.sql))
			unlisted = append(unlisted, planListed{sql: s.sql, from: "not in the list"})
		}
	}
	for _, l := range hotPathStatements {
		if !seen[planKey(l.sql)] {
			t.Logf("listed, not run by this workload (its plan is checked all the same): %s", l.from)
		}
	}
	return append(append([]planListed{}, hotPathStatements...), unlisted...)
}

// planCheckPlans fails for each statement whose generic plan scans a table in full
// that is not bounded, printing the plan.
func planCheckPlans(t *testing.T, url string, statements []planListed) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	p, err := newPlanExplainer(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range statements {
		plan, scans, err := p.explain(ctx, s.sql)
		switch {
		case err != nil:
			t.Errorf("%s: %v\n\t%s", s.from, err, s.sql)
		case len(scans) > 0:
			t.Errorf("%s: the generic plan scans %v in full:\n\t%s\n\t%s", s.from, scans, s.sql, strings.ReplaceAll(plan, "\n", "\n\t"))
		}
	}
}
