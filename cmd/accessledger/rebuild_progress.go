package main

import (
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"accessledger/projections"
)

// progressLogInterval is the least time between two progress lines of a rebuild whose
// output is not a terminal: often enough to see it move, rarely enough for a log file.
const progressLogInterval = 2 * time.Second

// rebuildProgress shows how far a rebuild got: update takes each report of
// projections.Rebuild, finish ends the display whether the rebuild succeeded or not.
type rebuildProgress interface {
	update(projections.RebuildProgress)
	finish()
}

// newRebuildProgress answers a progress bar on w when w is a terminal, and otherwise
// progress lines on log.
func newRebuildProgress(w io.Writer, name string, log *slog.Logger) rebuildProgress {
	if isTerminal(w) {
		return &barProgress{w: w, name: name}
	}
	return &logProgress{log: log, now: time.Now}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// barProgress draws a progress bar of events, with events/s and the time left.
type barProgress struct {
	w    io.Writer
	name string
	bar  *progressbar.ProgressBar
}

func (b *barProgress) update(p projections.RebuildProgress) {
	if b.bar == nil {
		// Made at the first report, which brings the first estimate of the total; a
		// bar's maximum must be above 0.
		b.bar = progressbar.NewOptions64(max(p.Total, p.Applied, 1),
			progressbar.OptionSetWriter(b.w),
			progressbar.OptionSetDescription(b.name),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("events"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionFullWidth(),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(b.w) }),
		)
	}
	switch {
	case p.Done:
		// The count is final: make it the maximum so that the bar ends full.
		if p.Applied > 0 {
			b.bar.ChangeMax64(p.Applied)
		}
		_ = b.bar.Set64(p.Applied)
		_ = b.bar.Finish()
		return
	case p.Applied >= b.bar.GetMax64():
		// Total was an estimate and the log grew. Stay short of the maximum: a bar that
		// reaches it counts as finished and draws no more.
		b.bar.ChangeMax64(p.Applied + 1)
	}
	_ = b.bar.Set64(p.Applied)
}

// finish ends the bar's line when the rebuild stopped before its last report, so that
// the error that follows starts a line of its own.
func (b *barProgress) finish() {
	if b.bar != nil && !b.bar.IsFinished() {
		_ = b.bar.Exit()
	}
}

// logProgress logs a progress line at most every progressLogInterval; the first report
// is logged at once. The caller logs the final line, from the rebuild's result.
type logProgress struct {
	log  *slog.Logger
	now  func() time.Time
	last time.Time // of the last line logged; zero before the first
}

func (l *logProgress) update(p projections.RebuildProgress) {
	if p.Done {
		return
	}
	now := l.now()
	if !l.last.IsZero() && now.Sub(l.last) < progressLogInterval {
		return
	}
	l.last = now
	total := max(p.Total, p.Applied)
	attrs := []any{
		"projection", p.Projection, "events", p.Applied, "total", total,
		"elapsed", p.Elapsed.Round(time.Millisecond), "events_per_second", eventsPerSecond(p.Applied, p.Elapsed),
	}
	if p.Applied > 0 && p.Elapsed > 0 && total > p.Applied {
		// A linear estimate, at the rate so far.
		eta := time.Duration(float64(p.Elapsed) * float64(total-p.Applied) / float64(p.Applied))
		attrs = append(attrs, "eta", eta.Round(time.Second))
	}
	l.log.Info("rebuild progress", attrs...)
}

func (l *logProgress) finish() {}

// eventsPerSecond answers the rate of n events in d, rounded to whole events; 0 for no
// time.
func eventsPerSecond(n int64, d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(math.Round(float64(n) / d.Seconds()))
}
