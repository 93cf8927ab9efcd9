package main

// How BenchmarkServe reports: one sub-benchmark per section of figures, since the
// testing package keeps only 10 lines of a benchmark's log, and shows the log of a
// benchmark with sub-benchmarks only with -v.

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

// benchSection is one sub-benchmark of the report: figures measured earlier in the run,
// and at most 9 lines that explain them.
type benchSection struct {
	name    string
	lines   []string
	metrics []benchMetric
}

// benchMetric is one figure of a section, as b.ReportMetric takes it.
type benchMetric struct {
	value float64
	unit  string
}

func (s *benchSection) logf(format string, args ...any) {
	s.lines = append(s.lines, fmt.Sprintf(format, args...))
}

func (s *benchSection) metric(value float64, unit string) {
	s.metrics = append(s.metrics, benchMetric{value, unit})
}

// report is the section's sub-benchmark. It logs its lines on the first run only: run
// without -benchtime 1x, the testing package runs it again, and the lines would repeat.
func (s *benchSection) report(b *testing.B) {
	if b.N == 1 {
		for _, line := range s.lines {
			b.Log(line)
		}
	}
	for _, m := range s.metrics {
		b.ReportMetric(m.value, m.unit)
	}
}

// mixSection answers the section of a mix run: its rates, latencies and lag, after
// lines that say how it went.
func mixSection(name string, r mixResult, lines ...string) *benchSection {
	s := &benchSection{name: name, lines: lines}
	s.logf("%d commands (%.0f/s, %d invitations), %d reads in %s; command p50/p99 %.1f/%.1f ms, read %.1f/%.1f ms, lag %.1f/%.1f ms (%d read back)",
		r.commands, r.commandRate(), r.invites, r.reads, r.elapsed.Round(time.Millisecond),
		percentile(r.cmd, 50), percentile(r.cmd, 99), percentile(r.read, 50), percentile(r.read, 99),
		percentile(r.lag, 50), percentile(r.lag, 99), len(r.lag))
	s.metric(r.commandRate(), "cmds/s")
	s.metric(r.inviteRate(), "invites/s")
	s.metric(percentile(r.cmd, 50), "cmd-p50-ms")
	s.metric(percentile(r.cmd, 99), "cmd-p99-ms")
	if len(r.read) > 0 {
		s.metric(percentile(r.read, 50), "read-p50-ms")
		s.metric(percentile(r.read, 99), "read-p99-ms")
	}
	s.metric(percentile(r.lag, 50), "lag-p50-ms")
	s.metric(percentile(r.lag, 99), "lag-p99-ms")
	return s
}

// logLabel names a log by its size: 1M, 10k, 20k, 1500.
func logLabel(events int) string {
	switch {
	case events%1_000_000 == 0:
		return fmt.Sprintf("%dM", events/1_000_000)
	case events%1000 == 0:
		return fmt.Sprintf("%dk", events/1000)
	}
	return fmt.Sprint(events)
}

// capturedTB is the benchmark with its output kept apart: what serve logs, and the
// commands the benchmark runs, go to out, for the report to show at the end.
type capturedTB struct {
	testing.TB
	out *lockedBuffer
}

// Output implements testing.TB.
func (c capturedTB) Output() io.Writer { return c.out }

// serveLogSection answers the section of serve's warnings and errors during the run:
// their count, and each kind of them with its count, in order of first appearance.
func serveLogSection(out string) *benchSection {
	s := &benchSection{name: "serve-log"}
	counts := map[string]int{}
	var kinds []string
	total := 0
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "level=WARN") && !strings.Contains(line, "level=ERROR") {
			continue
		}
		total++
		kind := logKind(line)
		if counts[kind] == 0 {
			kinds = append(kinds, kind)
		}
		counts[kind]++
	}
	s.logf("serve logged %d warnings and errors, of %d kinds", total, len(kinds))
	for _, kind := range kinds[:min(len(kinds), 8)] {
		s.logf("%d× %.600s", counts[kind], kind)
	}
	s.metric(float64(total), "warnings")
	return s
}

// logVarying matches what varies between log lines of one kind: the time, message ids,
// retry counts and waits, hexadecimal ids and positions, uuids.
var logVarying = regexp.MustCompile(`time=\S+ |message_uuid=\S+ |retry_no=\d+ |wait_time=\S+ |[0-9a-f]{16,}|[0-9a-f]{8}-[0-9a-f-]{27}`)

// logKind answers a log line without what varies between lines of its kind.
func logKind(line string) string {
	return logVarying.ReplaceAllString(line, "…")
}
