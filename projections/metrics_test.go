package projections

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestCollector(t *testing.T) {
	statuses := []Status{
		{Name: "members", Version: 2, CodeVersion: 2, State: StateRunning, LagEvents: 0, LagSeconds: 0, EventsApplied: 1200},
		{Name: "licenses", Version: 1, CodeVersion: 2, State: StateRebuilding, LagEvents: 7, LagSeconds: 1.5, EventsApplied: 1193,
			Rebuild: &RebuildStatus{Generation: 2, Version: 2, Events: 640}},
		{Name: "history", Version: 1, CodeVersion: 1, State: StateFailed, LagEvents: 30, LagSeconds: 62.25, EventsApplied: 1170,
			LastError: "member-1 version 3: gap"},
	}
	c := NewCollector(func(context.Context) ([]Status, error) { return statuses, nil }, nil)

	want := `
# HELP accessledger_projection_code_version Version of the projection in this binary's code; differs from accessledger_projection_version until a rebuild.
# TYPE accessledger_projection_code_version gauge
accessledger_projection_code_version{projection="history"} 1
accessledger_projection_code_version{projection="licenses"} 2
accessledger_projection_code_version{projection="members"} 2
# HELP accessledger_projection_events_applied_total Events applied to the projection's live tables; starts again from the rebuilt count after a rebuild.
# TYPE accessledger_projection_events_applied_total counter
accessledger_projection_events_applied_total{projection="history"} 1170
accessledger_projection_events_applied_total{projection="licenses"} 1193
accessledger_projection_events_applied_total{projection="members"} 1200
# HELP accessledger_projection_lag_events Events of the log that the projection has not applied yet (counted up to a cap).
# TYPE accessledger_projection_lag_events gauge
accessledger_projection_lag_events{projection="history"} 30
accessledger_projection_lag_events{projection="licenses"} 7
accessledger_projection_lag_events{projection="members"} 0
# HELP accessledger_projection_lag_seconds Age in seconds of the oldest event that the projection has not applied yet; 0 when caught up.
# TYPE accessledger_projection_lag_seconds gauge
accessledger_projection_lag_seconds{projection="history"} 62.25
accessledger_projection_lag_seconds{projection="licenses"} 1.5
accessledger_projection_lag_seconds{projection="members"} 0
# HELP accessledger_projection_rebuild_events Events applied so far by the rebuild under way; present only while one is.
# TYPE accessledger_projection_rebuild_events gauge
accessledger_projection_rebuild_events{projection="licenses"} 640
# HELP accessledger_projection_state 1 for the projection's current state (running, catching_up, rebuilding or failed), 0 for the others.
# TYPE accessledger_projection_state gauge
accessledger_projection_state{projection="history",state="catching_up"} 0
accessledger_projection_state{projection="history",state="failed"} 1
accessledger_projection_state{projection="history",state="rebuilding"} 0
accessledger_projection_state{projection="history",state="running"} 0
accessledger_projection_state{projection="licenses",state="catching_up"} 0
accessledger_projection_state{projection="licenses",state="failed"} 0
accessledger_projection_state{projection="licenses",state="rebuilding"} 1
accessledger_projection_state{projection="licenses",state="running"} 0
accessledger_projection_state{projection="members",state="catching_up"} 0
accessledger_projection_state{projection="members",state="failed"} 0
accessledger_projection_state{projection="members",state="rebuilding"} 0
accessledger_projection_state{projection="members",state="running"} 1
# HELP accessledger_projection_status_up Whether the status of the projections could be read for this scrape (1) or not (0).
# TYPE accessledger_projection_status_up gauge
accessledger_projection_status_up 1
# HELP accessledger_projection_version Version of the projection code that built the live tables.
# TYPE accessledger_projection_version gauge
accessledger_projection_version{projection="history"} 1
accessledger_projection_version{projection="licenses"} 1
accessledger_projection_version{projection="members"} 2
`
	names := []string{
		"accessledger_projection_code_version", "accessledger_projection_events_applied_total", "accessledger_projection_lag_events",
		"accessledger_projection_lag_seconds", "accessledger_projection_rebuild_events",
		"accessledger_projection_state", "accessledger_projection_status_up", "accessledger_projection_version",
	}
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	problems, err := testutil.CollectAndLint(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

// TestCollectorStatusFails checks that a failed status read shows as status_up 0 rather
// than as a failed scrape, which would also hide the process's other metrics.
func TestCollectorStatusFails(t *testing.T) {
	c := NewCollector(func(context.Context) ([]Status, error) { return nil, errors.New("connection refused") }, nil)
	want := `
# HELP accessledger_projection_status_up Whether the status of the projections could be read for this scrape (1) or not (0).
# TYPE accessledger_projection_status_up gauge
accessledger_projection_status_up 0
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

func TestCollectorScrapeDeadline(t *testing.T) {
	var deadline time.Duration
	c := NewCollector(func(ctx context.Context) ([]Status, error) {
		d, ok := ctx.Deadline()
		if !ok {
			t.Error("the status read has no deadline")
		}
		deadline = time.Until(d)
		return nil, nil
	}, nil)
	if n := testutil.CollectAndCount(c); n != 1 {
		t.Errorf("collected %d metrics without projections, want 1 (status_up)", n)
	}
	if deadline <= 0 || deadline > scrapeTimeout {
		t.Errorf("status read got %v to run, want at most %v", deadline, scrapeTimeout)
	}
}
