package main

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/apitoken"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pglauncher"
)

var (
	serveEvents   = flag.Int("serve.events", 1_000_000, "events in the log of BenchmarkServe's main database")
	serveClients  = flag.Int("serve.clients", 16, "concurrent clients of BenchmarkServe")
	serveDuration = flag.Duration("serve.duration", 15*time.Second, "how long BenchmarkServe runs each measured phase")
)

const (
	// smallLogEvents is the log of the baseline database: the same service and mix on a
	// log a hundred times smaller shows what the size of the log costs.
	smallLogEvents = 10_000
	// serveWarmUp runs the mix before measuring: it fills the service's caches of the
	// measured workspaces and the connection pools.
	serveWarmUp = 3 * time.Second
	// pacedLeadIn runs the paced mix unmeasured before its measured run.
	pacedLeadIn = 2 * time.Second
	// readBackEvery: one command in readBackEvery of the saturated mix is followed by the
	// member list read with its consistency token, as an admin UI refreshes after a change.
	readBackEvery = 4
	// catchUpLimit bounds the projections' first build of a seeded log.
	catchUpLimit = 45 * time.Minute
)

// BenchmarkServe is the benchmark of record of the whole service: serve as main runs
// it, on a durable PostgreSQL cluster of its own, holding a log of -serve.events real
// domain events, loaded over loopback by -serve.clients clients with the requests of an
// admin UI (invitations, accepts, role changes, license deactivations and
// reactivations, visa grants, member list pages, access checks) spread over 8
// workspaces. It reports command and read rates and latencies, and the lag from a
// command's answer to the member list that shows it, saturated and at half the rate;
// beside them, measured in the same run: raw single-event appends of the store,
// /healthz, and the same mix on a log of 10,000 events, with ratios to them. It logs the
// statements that took the most time, the transactions per command and the sequential
// scans of big tables of each mix. Each section of figures is a sub-benchmark, reported
// once everything is measured. Run with -benchtime 1x.
func BenchmarkServe(b *testing.B) {
	began := time.Now()
	tb := capturedTB{TB: b, out: new(lockedBuffer)}
	cluster := startDurableCluster(b)
	setup := &benchSection{name: "appends"}
	big := seedBenchLog(b, cluster, "serve_big", *serveEvents, setup)
	small := seedBenchLog(b, cluster, "serve_small", smallLogEvents, setup)
	// Both logs are served at once, each built and settled (VACUUM ANALYZE, CHECKPOINT)
	// before anything is measured, and their phases interleave (big, small, small, big),
	// so that both are measured under the same conditions, on a machine whose other load
	// may drift. The raw appends go to the big log once both services are done, so that
	// they neither lengthen a measured log nor overlap a measurement.
	bigServe, smallServe := bootServe(b, tb, big), bootServe(b, tb, small)
	hz, hzRate, err := healthzLoad(context.Background(), bigServe.serving.url, *serveClients, healthzDuration)
	if err != nil {
		b.Fatal(err)
	}
	bigServe.warmUp(b)
	smallServe.warmUp(b)
	bigServe.measureMix(b)
	smallServe.measureMix(b)
	smallServe.measurePaced(b)
	bigServe.measurePaced(b)
	bigServe.measureInvitations(b)
	bigServe.stop(b)
	smallServe.stop(b)
	appends := measureRawAppends(b, big, setup)

	healthz := &benchSection{name: "healthz"}
	healthz.logf("GET /healthz from %d clients for %s, on the service of the %s log", *serveClients, healthzDuration, logLabel(big.target))
	healthz.metric(percentile(hz, 50), "p50-ms")
	healthz.metric(percentile(hz, 99), "p99-ms")
	healthz.metric(hzRate, "req/s")
	ratios := &benchSection{name: "ratios"}
	ratios.logf("whole run: %s", time.Since(began).Round(time.Second))
	ratios.metric(bigServe.mix.commandRate()/smallServe.mix.commandRate(), "x-cmds-1M/10k")
	ratios.metric(bigServe.invites.inviteRate()/appends, "x-invites/appends")
	ratios.metric(bigServe.mix.inviteRate()/appends, "x-mix-invites/appends")
	ratios.metric(percentile(bigServe.paced.lag, 99), "lag-half-p99-ms")
	sections := []*benchSection{setup, healthz, bigServe.mixReport, bigServe.pacedReport, smallServe.mixReport, smallServe.pacedReport,
		bigServe.invitesReport, ratios, serveLogSection(tb.out.String())}
	for _, s := range sections {
		b.Run(s.name, s.report)
	}
}

// benchLog is a seeded database of the benchmark.
type benchLog struct {
	name       string
	target     int // the events asked for; the log holds a few more, to finish a workspace
	url        string
	pool       *pgxpool.Pool // serve's size, ordinary (durable) sessions
	workspaces []*benchWorkspace
	events     int
	pgPID      int // the cluster's postmaster, whose CPU time the phases report
}

// seedBenchLog creates database name, appends a log of events to it, and issues an API
// token to the owner of each measured workspace; it logs how long seeding took in report.
func seedBenchLog(b *testing.B, cluster *pglauncher.Cluster, name string, events int, report *benchSection) *benchLog {
	b.Helper()
	ctx := context.Background()
	l := &benchLog{name: name, target: events, pgPID: cluster.PID()}
	l.url, l.pool = createBenchDatabase(b, cluster, name)
	seeding := seedingPool(b, l.url)
	defer seeding.Close()
	store, err := postgres.Open(ctx, seeding, postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	t0 := time.Now()
	l.workspaces, l.events = appendSeedLog(b, store, events)
	took := time.Since(t0)
	report.logf("%s: seeded %d events in %s (%.0f events/s)", name, l.events, took.Round(time.Second), float64(l.events)/took.Seconds())
	tokens := apitoken.NewStore(l.pool)
	for _, ws := range l.workspaces {
		if _, ws.token, err = tokens.Issue(ctx, apitoken.Spec{AccountID: ws.owner, Name: "benchmark"}); err != nil {
			b.Fatalf("issue the owner's token of %s: %v", ws.id, err)
		}
	}
	return l
}

// measureRawAppends answers the store's single-event appends a second at the mix's
// concurrency, on the log's database with no service running, through a pool of
// serve's size with durable commits; it reports them in report.
func measureRawAppends(b *testing.B, l *benchLog, report *benchSection) float64 {
	b.Helper()
	ctx := context.Background()
	settle(b, l.pool)
	var fsync, commit string
	if err := l.pool.QueryRow(ctx, "SELECT current_setting('fsync'), current_setting('synchronous_commit')").Scan(&fsync, &commit); err != nil {
		b.Fatal(err)
	}
	store, err := postgres.Open(ctx, l.pool, postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	d := min(*serveDuration, 5*time.Second)
	rate, err := rawAppends(ctx, store, *serveClients, d)
	if err != nil {
		b.Fatalf("raw appends: %v", err)
	}
	report.logf("%s: raw single-event appends to new streams from %d goroutines for %s (fsync=%s, synchronous_commit=%s)",
		l.name, *serveClients, d, fsync, commit)
	report.metric(rate, "appends/s")
	return rate
}

// healthzDuration is how long /healthz is loaded.
const healthzDuration = 3 * time.Second
