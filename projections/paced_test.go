package projections

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"accessledger/eventstore"
)

// pacedCounter is a counter that takes its events at most once every interval, and
// counts its batches.
type pacedCounter struct {
	counter
	interval time.Duration
	batches  *atomic.Int64
}

func (p pacedCounter) BatchInterval() time.Duration { return p.interval }

func (p pacedCounter) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error {
	p.batches.Add(1)
	return p.counter.Apply(ctx, tx, schema, batch)
}

// TestAPacedReadModelTakesItsEventsInFewerBatches: events appended one by one reach a
// paced read model in at most one batch per interval, all of them, while a read model
// that is not paced follows them as they come.
func TestAPacedReadModelTakesItsEventsInFewerBatches(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const interval = 100 * time.Millisecond
	var paced, eager atomic.Int64
	rt, _ := r.start(Options{},
		pacedCounter{counter: counter{name: "paced"}, interval: interval, batches: &paced},
		pacedCounter{counter: counter{name: "eager"}, batches: &eager})
	// Both follow the head before the events come one by one.
	if err := rt.WaitFor(waitCtx(t), r.rename("workspace-a", 1, "x"), "paced", "eager"); err != nil {
		t.Fatal(err)
	}
	paced.Store(0)
	eager.Store(0)
	began := time.Now()
	var last eventstore.Position
	for range 24 {
		time.Sleep(10 * time.Millisecond)
		last = r.rename("workspace-a", 1, "x")
	}
	if err := rt.WaitFor(waitCtx(t), last, "paced", "eager"); err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	for _, name := range []string{"paced_counts", "eager_counts"} {
		if got := r.counts(name)["workspace-a"]; got != 25 {
			t.Fatalf("%s: %d events applied, want 25", name, got)
		}
	}
	if most := int64(took/interval) + 2; paced.Load() > most {
		t.Errorf("paced: %d batches in %s, want at most %d", paced.Load(), took, most)
	}
	if paced.Load() >= eager.Load() {
		t.Errorf("paced: %d batches, not fewer than the %d of a read model that is not paced", paced.Load(), eager.Load())
	}
}
