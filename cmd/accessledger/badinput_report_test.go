package main

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// checkEvents looks up, in the events table of dbURL, the correlation ids of the suite's
// requests. A refused (4xx) request with events fails; so does a valid request, sent on
// a new target, that was answered with a consistency token but whose events do not carry
// its request id, for then the first check proves nothing. (A bad request accepted on a
// target that an earlier one changed may replay that one's result without appending: an
// accepted invitation is.) It answers how many refused requests appended.
func (r *badInputRecorder) checkEvents(t *testing.T, dbURL string) int {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		t.Fatalf("open the test database: %v", err)
	}
	defer pool.Close()
	ids := slices.Collect(maps.Keys(r.sent))
	rows, err := pool.Query(context.Background(), `SELECT e.correlation_id::text, count(*)
		FROM events e JOIN unnest($1::uuid[]) AS sent(id) ON e.correlation_id = sent.id GROUP BY 1`, ids)
	if err != nil {
		t.Fatalf("read the events' correlation ids: %v", err)
	}
	found := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		found[id] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	refusedAppended := 0
	for id, s := range r.sent {
		n := found[id]
		switch {
		case s.status >= 400 && s.status < 500 && n > 0:
			refusedAppended++
			r.fail(badInputFailure{check: "a refused request appended events", op: s.op, label: s.label, status: s.status,
				body: fmt.Sprintf("%d events carry its request id %s", n, id), id: id})
		case s.appended && s.kind == "valid" && n == 0:
			r.fail(badInputFailure{check: "the request id is not the events' correlation id", op: s.op, label: s.label,
				status: s.status, body: "no event carries request id " + id, id: id})
		}
	}
	return refusedAppended
}

// report logs the suite's figures in one line and fails t with each group of failures
// (one check and status): the operations and mutations that broke it, the distinct
// errors of the server's log about them and an example answer.
func (r *badInputRecorder) report(t *testing.T, serverLog string, refusedAppended int) {
	t.Helper()
	fivexx, accepted := 0, map[string]int{}
	for _, s := range r.sent {
		if s.status >= 500 {
			fivexx++
		}
		if s.status/100 == 2 && s.kind != "valid" {
			accepted[s.kind]++
		}
	}
	t.Logf("bad-input suite: %d requests sent; answers by status: %s; 5xx: %d (must be 0); refused requests that appended events: %d (must be 0); bad requests accepted (2xx) by kind: %s",
		len(r.sent), badInputCounts(r.statuses), fivexx, refusedAppended, badInputCounts(accepted))
	if testing.Verbose() {
		r.logAccepted(t)
	}
	groups := map[string][]badInputFailure{}
	for _, f := range r.failures {
		key := fmt.Sprintf("%s | status %d", f.check, f.status)
		groups[key] = append(groups[key], f)
	}
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		t.Errorf("%s", badInputGroup(key, groups[key], serverLog))
	}
}

// badInputGroup describes a group of failures: by operation, at most a few mutations
// each, then the distinct errors the server logged and an example answer.
func badInputGroup(key string, failures []badInputFailure, serverLog string) string {
	byOp := map[string][]string{}
	errs := map[string]int{}
	for _, f := range failures {
		byOp[f.op] = append(byOp[f.op], f.label)
		for _, e := range badInputLoggedErrors(serverLog, f.id) {
			errs[e]++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d requests on %d operations", key, len(failures), len(byOp))
	for i, op := range slices.Sorted(maps.Keys(byOp)) {
		if i == badInputMaxOps {
			fmt.Fprintf(&b, "\n    … and %d more operations", len(byOp)-i)
			break
		}
		labels := byOp[op]
		more := ""
		if len(labels) > badInputMaxLabels {
			labels, more = labels[:badInputMaxLabels], fmt.Sprintf(" (+%d more)", len(labels)-badInputMaxLabels)
		}
		fmt.Fprintf(&b, "\n    %s: %s%s", op, strings.Join(labels, "; "), more)
	}
	for _, e := range slices.Sorted(maps.Keys(errs)) {
		fmt.Fprintf(&b, "\n    server log (%d×): %s", errs[e], e)
	}
	fmt.Fprintf(&b, "\n    e.g. answer: %s", badInputTrim(failures[0].body, 400))
	return b.String()
}

// Caps on a failure group's description.
const (
	badInputMaxOps    = 60
	badInputMaxLabels = 6
)

// badInputIDs matches the ids and hashes that make otherwise equal log errors differ.
var badInputIDs = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{64}`)

// badInputLoggedErrors answers the err attributes of the server's log lines about
// request id, ids and hashes replaced by <id>.
func badInputLoggedErrors(serverLog, id string) []string {
	if id == "" {
		return nil
	}
	var out []string
	for line := range strings.Lines(serverLog) {
		if !strings.Contains(line, "request_id="+id) {
			continue
		}
		if _, e, ok := strings.Cut(line, " err="); ok {
			out = append(out, badInputTrim(badInputIDs.ReplaceAllString(strings.TrimSpace(e), "<id>"), 400))
		}
	}
	return out
}

// logAccepted logs the bad requests that were accepted (2xx), by mutation: a change
// worth a look, though not a failure.
func (r *badInputRecorder) logAccepted(t *testing.T) {
	t.Helper()
	byLabel := map[string][]string{}
	for _, s := range r.sent {
		if s.status/100 == 2 && s.kind != "valid" {
			byLabel[s.label] = append(byLabel[s.label], s.op)
		}
	}
	for _, label := range slices.Sorted(maps.Keys(byLabel)) {
		ops := slices.Compact(slices.Sorted(slices.Values(byLabel[label])))
		t.Logf("accepted %q on %d operations: %s", label, len(ops), strings.Join(ops, ", "))
	}
}

// badInputCounts formats counts by key, sorted.
func badInputCounts[K int | string](counts map[K]int) string {
	parts := make([]string, 0, len(counts))
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%v: %d", k, counts[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// badInputTrim cuts s to n bytes for a report.
func badInputTrim(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return s
}
