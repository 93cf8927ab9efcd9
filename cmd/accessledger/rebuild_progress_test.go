package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"accessledger/projections"
)

// TestLogProgress checks that progress lines come at once, then at most every two
// seconds, and that the final report is left to the caller.
func TestLogProgress(t *testing.T) {
	var logs bytes.Buffer
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l := &logProgress{log: slog.New(slog.NewTextHandler(&logs, nil)), now: func() time.Time { return now }}
	report := func(after time.Duration, applied int64, done bool) {
		now = now.Add(after)
		l.update(projections.RebuildProgress{Projection: "members", Applied: applied, Total: 1000,
			Elapsed: time.Duration(applied) * time.Millisecond, Done: done})
	}
	report(0, 100, false)
	report(time.Second, 200, false)           // too soon
	report(time.Second, 400, false)           // two seconds after the first
	report(500*time.Millisecond, 1200, false) // too soon again
	report(0, 1200, true)

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("logged %d lines, want 2:\n%s", len(lines), logs.String())
	}
	for i, want := range []string{
		`msg="rebuild progress" projection=members events=100 total=1000 elapsed=100ms events_per_second=1000 eta=1s`,
		`msg="rebuild progress" projection=members events=400 total=1000 elapsed=400ms events_per_second=1000 eta=1s`,
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d: %s\nwant it to contain %s", i+1, lines[i], want)
		}
	}
}

// TestBarProgress draws a bar into a buffer as on a terminal: it must grow when the
// applied events pass the estimated total, and end full at the final count.
func TestBarProgress(t *testing.T) {
	var out bytes.Buffer
	b := &barProgress{w: &out, name: "members"}
	b.update(projections.RebuildProgress{Projection: "members", Applied: 50, Total: 100, Elapsed: time.Second})
	b.update(projections.RebuildProgress{Projection: "members", Applied: 150, Total: 100, Elapsed: 2 * time.Second})
	if b.bar.IsFinished() {
		t.Fatal("the bar finished before the rebuild did")
	}
	if got := b.bar.GetMax64(); got <= 150 {
		t.Errorf("bar maximum %d after 150 events, want it above", got)
	}
	b.update(projections.RebuildProgress{Projection: "members", Applied: 160, Total: 100, Elapsed: 3 * time.Second, Done: true})
	b.finish()
	if !b.bar.IsFinished() {
		t.Error("the bar did not finish with the rebuild")
	}
	for _, want := range []string{"members", "100%", "160/160", "events/s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bar output lacks %q: %q", want, out.String())
		}
	}
	if !strings.HasSuffix(out.String(), "\n") {
		t.Errorf("bar output does not end its line: %q", out.String())
	}
}

// TestBarProgressInterrupted checks that a rebuild that fails midway leaves the cursor
// on a line of its own, for the error message.
func TestBarProgressInterrupted(t *testing.T) {
	var out bytes.Buffer
	b := &barProgress{w: &out, name: "members"}
	b.update(projections.RebuildProgress{Projection: "members", Applied: 10, Total: 100, Elapsed: time.Second})
	b.finish()
	if !strings.HasSuffix(out.String(), "\n") {
		t.Errorf("bar output does not end its line: %q", out.String())
	}
}
