package main

// The fault suite's checks after each fault: the answers, the event log against the
// commands, the read models against a rebuild, and the hash chains.

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
	"accessledger/projections"
	"accessledger/projections/readmodels"
)

// faultCatchUpWait bounds the wait for the read models to apply the whole log once the
// load has stopped.
const faultCatchUpWait = 30 * time.Second

// checkFaultAnswers fails the test for every answer outside 2xx, 4xx and 503 with
// Retry-After since the last check, one failure per route and status, with an example
// request, its answer and serve's log lines about it; and for every exit of serve that
// the suite did not cause.
func checkFaultAnswers(t *testing.T, srv *faultServe, ledger *faultLedger) {
	t.Helper()
	groups := map[string][]faultAnswer{}
	var order []string
	for _, a := range ledger.takeBad() {
		g := fmt.Sprintf("%s %s answered %d", a.method, faultRoute(a.path), a.status)
		if a.status == 503 {
			g += " without Retry-After"
		}
		if groups[g] == nil {
			order = append(order, g)
		}
		groups[g] = append(groups[g], a)
	}
	for _, g := range order {
		a := groups[g][0]
		t.Errorf("%s, %d times in phase %s; e.g. %s %s %s (Idempotency-Key %q, X-Request-ID %s) answered: %s\nserve's log on it:\n%s",
			g, len(groups[g]), a.phase, a.method, a.path, a.request, a.key, a.requestID, faultClip(a.body),
			strings.Join(srv.logLines(a.requestID), "\n"))
	}
	for _, exit := range srv.unexpectedExits() {
		t.Error(exit)
	}
}

// faultTally is what the checks found of the commands so far.
type faultTally struct {
	sent, acknowledged, refused, retried int
	// Failures: lost (acknowledged without events, or never answered), duplicated (an
	// event of a command's stream and type twice), refused but applied.
	lost, unanswered, duplicated, refusedApplied, settledBy5xx int
}

// checkFaultCommands reads the event log and fails the test for every command not applied
// as its answer says, that it has not reported before: an acknowledged command must have
// applied exactly once, a refused one not at all, and none may go unanswered.
func checkFaultCommands(t *testing.T, pool *pgxpool.Pool, ledger *faultLedger, reported map[*faultCommand]bool) faultTally {
	t.Helper()
	commands := ledger.settled()
	counts, err := countFaultEvents(t.Context(), pool, commands)
	if err != nil {
		t.Errorf("count the commands' events: %v", err)
		return faultTally{}
	}
	var tally faultTally
	tally.sent = len(commands)
	for _, c := range commands {
		if c.attempts > 1 {
			tally.retried++
		}
		if problem := judgeFault(c, counts, &tally); problem != "" && !reported[c] {
			reported[c] = true
			t.Errorf("%s: %s; its events by stream and type: %v", problem, c, faultEventsOf(c, counts))
		}
	}
	return tally
}

// judgeFault answers what is wrong with command c, given the events per command id, and
// counts it in tally; "" when nothing is.
func judgeFault(c *faultCommand, counts map[string]map[string]int, tally *faultTally) string {
	events, twice := 0, false
	for _, n := range faultEventsOf(c, counts) {
		events += n
		twice = twice || n > 1
	}
	if twice {
		tally.duplicated++
		return "duplicated: an event of the command appears more than once"
	}
	switch {
	case c.status == 0:
		tally.unanswered++
		tally.lost++
		return fmt.Sprintf("never answered within %v (%d events applied)", faultGiveUp, events)
	case c.status >= 500:
		tally.settledBy5xx++
		return fmt.Sprintf("answered %d on every one of %d attempts (%d events applied)", c.status, c.attempts, events)
	case c.status >= 400:
		tally.refused++
		if events > 0 {
			tally.refusedApplied++
			return "refused, yet applied"
		}
	default:
		tally.acknowledged++
		if events == 0 {
			tally.lost++
			return "lost: acknowledged, yet not in the event log"
		}
	}
	return ""
}

// faultEventsOf answers the counts of c's events by "stream type".
func faultEventsOf(c *faultCommand, counts map[string]map[string]int) map[string]int {
	out := map[string]int{}
	for _, id := range c.ids() {
		for k, n := range counts[id.String()] {
			out[k] += n
		}
	}
	return out
}

// countFaultEvents answers, per command id of commands, how many events of each
// stream and type carry it.
func countFaultEvents(ctx context.Context, pool *pgxpool.Pool, commands []*faultCommand) (map[string]map[string]int, error) {
	var ids []string
	for _, c := range commands {
		for _, id := range c.ids() {
			ids = append(ids, id.String())
		}
	}
	rows, err := pool.Query(ctx, `SELECT command_id::text, stream || ' ' || event_type, count(*)
		FROM events WHERE command_id = ANY($1::uuid[]) GROUP BY 1, 2`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]map[string]int{}
	for rows.Next() {
		var id, key string
		var n int
		if err := rows.Scan(&id, &key, &n); err != nil {
			return nil, err
		}
		if counts[id] == nil {
			counts[id] = map[string]int{}
		}
		counts[id][key] = n
	}
	return counts, rows.Err()
}

// checkFaultReadModels verifies the hash chains of the event log, waits for every
// projection to be running with no lag, then rebuilds them all, which compares each
// rebuilt table with the live one and fails on a difference.
func checkFaultReadModels(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := t.Context()
	store, err := postgres.Open(ctx, pool, postgres.Options{})
	if err != nil {
		t.Errorf("open the event log: %v", err)
		return
	}
	defer store.Close()
	report, err := eventstore.Verify(ctx, store, func(b eventstore.BrokenLink) { t.Errorf("verify: broken link: %s", b) })
	if err != nil {
		t.Errorf("verify: %v", err)
	} else if report.Events == 0 {
		t.Errorf("verify walked no events")
	}
	start := time.Now()
	if err := waitFaultCaughtUp(ctx, pool, store); err != nil {
		t.Error(err)
		return // a rebuild would compare with tables that lag or failed
	}
	t.Logf("the read models caught up %v after the load stopped", time.Since(start).Round(time.Millisecond))
	results, err := projections.RebuildAll(ctx, pool, store, readmodels.All(),
		projections.RebuildOptions{Logger: slog.New(slog.DiscardHandler), Owner: "the fault suite"})
	if err != nil {
		t.Errorf("the read models differ from a rebuild: %v", err)
	}
	for _, res := range results {
		if !res.Compared {
			t.Errorf("the rebuild of %s was not compared with its live tables", res.Projection)
		}
	}
}

// waitFaultCaughtUp waits until every projection runs with no lag, and says how far each
// one got when that does not happen within faultCatchUpWait.
func waitFaultCaughtUp(ctx context.Context, pool *pgxpool.Pool, log eventstore.LogReader) error {
	deadline := time.Now().Add(faultCatchUpWait)
	for {
		statuses, err := projections.ReadStatus(ctx, pool, log, readmodels.All())
		var behind []string
		for _, s := range statuses {
			if s.State != projections.StateRunning || s.LagEvents != 0 {
				behind = append(behind, fmt.Sprintf("%s: %s, lag %d events, error %q at %s %s",
					s.Name, s.State, s.LagEvents, s.LastError, s.ErrorStream, s.ErrorPosition))
			}
		}
		if err == nil && len(behind) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the read models did not catch up within %v (status error: %v):\n%s",
				faultCatchUpWait, err, strings.Join(behind, "\n"))
		}
		time.Sleep(200 * time.Millisecond)
	}
}
