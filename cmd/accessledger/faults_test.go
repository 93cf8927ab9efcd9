package main

// The fault suite: a command load over HTTP while serve is killed and PostgreSQL is
// restarted, and proof afterwards that no command was lost or applied twice.

import (
	"context"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

var faultsLong = flag.Bool("faults.long", false, "run the fault suite longer: more faults, more clients (minutes)")

// faultKind is a fault the suite injects.
type faultKind string

const (
	faultKillServe       faultKind = "kill-serve"       // SIGKILL, then the supervisor starts serve again
	faultRestartPostgres faultKind = "restart-postgres" // pg_ctl -m immediate stop, a pause, a start
)

// faultPlan is how much one run of the suite does: its faults in order, and for each, the
// load before it and after the service is back.
type faultPlan struct {
	faults        []faultKind
	clients       int
	before, after time.Duration
	pgPause       time.Duration // how long PostgreSQL stays down
}

func planFaults() faultPlan {
	switch {
	case *faultsLong:
		var faults []faultKind
		for range 5 {
			faults = append(faults, faultKillServe, faultRestartPostgres)
		}
		return faultPlan{faults: faults, clients: 8, before: 5 * time.Second, after: 5 * time.Second, pgPause: 2 * time.Second}
	case testing.Short():
		return faultPlan{faults: []faultKind{faultKillServe, faultRestartPostgres}, clients: 3,
			before: time.Second, after: time.Second, pgPause: 500 * time.Millisecond}
	}
	// One kill only: after it, the read models wait out the dead process's lease (15s)
	// before they catch up, which a second kill would add to the run.
	return faultPlan{faults: []faultKind{faultKillServe, faultRestartPostgres, faultRestartPostgres}, clients: 4,
		before: 2 * time.Second, after: 2 * time.Second, pgPause: time.Second}
}

// TestFaults runs a concurrent command load (invitations, accepts, role changes, license
// deactivations and reactivations, visa grants), each command with an Idempotency-Key
// and retried with it until answered, while serve is killed with SIGKILL and PostgreSQL
// is stopped at once and restarted. After each fault it checks that every answer was
// 2xx, 4xx or 503 with Retry-After, that every acknowledged command applied exactly
// once and every refused one not at all, that the read models catch up and equal a
// rebuild, and that the hash chains hold.
func TestFaults(t *testing.T) {
	// Its own cluster and serve: it runs beside the other tests, mostly waiting.
	t.Parallel()
	plan := planFaults()
	cluster := startFaultCluster(t)
	srv := startFaultServe(t, cluster.url())
	ledger := newFaultLedger()
	ledger.setPhase("set-up")
	ws, h := newFaultWorkspace(t, srv.url, cluster.url(), ledger, plan.clients)
	load := newFaultLoad(h, ws, plan.clients)
	reported := map[*faultCommand]bool{}
	var tally faultTally
	for i, kind := range plan.faults {
		name := fmt.Sprintf("%d-%s", i+1, kind)
		t.Run(name, func(t *testing.T) {
			ledger.setPhase(name + ", before the fault")
			load.start()
			defer load.stop() // when a fault fails the phase; stop may run twice
			time.Sleep(plan.before)
			ledger.setPhase(name + ", during the fault")
			down := injectFault(t, kind, cluster, srv, plan.pgPause)
			ledger.setPhase(name + ", after the fault (serve ready again)")
			time.Sleep(plan.after)
			load.stop()
			t.Logf("%s: the service was back after %v", kind, down.Round(time.Millisecond))
			tally = checkFaultPhase(t, cluster.url(), srv, ledger, reported)
		})
	}
	t.Logf("faults: commands sent=%d acknowledged=%d refused=%d retried=%d lost=%d duplicated=%d "+
		"refused-but-applied=%d never-answered=%d settled-by-5xx=%d; %s; faults: %v",
		tally.sent, tally.acknowledged, tally.refused, tally.retried, tally.lost, tally.duplicated,
		tally.refusedApplied, tally.unanswered, tally.settledBy5xx, ledger.figures(), plan.faults)
}

// injectFault injects fault kind and waits until serve is ready again; it answers how long
// that took (or the wait, when serve did not get ready).
func injectFault(t *testing.T, kind faultKind, cluster *faultCluster, srv *faultServe, pgPause time.Duration) time.Duration {
	t.Helper()
	ctx := t.Context()
	start := time.Now()
	after := 0
	switch kind {
	case faultKillServe:
		gen, err := srv.kill()
		if err != nil {
			t.Fatal(err)
		}
		after = gen
	case faultRestartPostgres:
		restartCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		if err := cluster.restart(restartCtx, pgPause); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.waitReady(ctx, after); err != nil {
		// The load and the checks go on: they tell what a service in that state does.
		t.Errorf("after %s: %v", kind, err)
	}
	return time.Since(start)
}

// checkFaultPhase runs the checks of the end of a phase, on a pool of its own (PostgreSQL may
// have restarted since the last one), and answers the tally of the commands so far.
func checkFaultPhase(t *testing.T, url string, srv *faultServe, ledger *faultLedger, reported map[*faultCommand]bool) faultTally {
	t.Helper()
	pool, err := pgxpool.New(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	checkFaultAnswers(t, srv, ledger)
	tally := checkFaultCommands(t, pool, ledger, reported)
	checkFaultReadModels(t, pool)
	return tally
}
