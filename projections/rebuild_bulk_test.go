package projections

import (
	"context"
	"testing"
	"time"

	"accessledger/eventstore"
)

// TestBulkRebuildEqualsTheLiveTables rebuilds every read model from a log whose live
// tables the runtime built batch by batch; the rebuild folds in bulk and compares its
// tables with the live ones at the swap. With a tiny bound on what a bulk fold may hold,
// the folds are flushed in the middle of the catch-up and the builds go on batch by batch.
func TestBulkRebuildEqualsTheLiveTables(t *testing.T) {
	t.Parallel()
	for _, held := range []int{0, 40} {
		r := newRig(t)
		n, _ := appendRebuildLog(t, r.store, 800, 2)
		waitForEvents(t, r, n)
		rt, stop := r.start(Options{}, All()...)
		head, err := r.store.Head(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if err := rt.WaitFor(waitCtx(t), head); err != nil {
			t.Fatal(err)
		}
		stop()
		results, err := RebuildAll(waitCtx(t), r.pool, r.store, All(), RebuildOptions{BatchSize: 64, bulkMaxHeld: held})
		if err != nil {
			t.Fatalf("held %d: %v", held, err)
		}
		for _, res := range results {
			if !res.Compared || res.Events != int64(n) {
				t.Errorf("held %d: %s rebuilt from %d events (compared %t), want %d compared", held, res.Projection, res.Events, res.Compared, n)
			}
		}
	}
}

// waitForEvents waits until the log shows n events.
func waitForEvents(t *testing.T, r *rig, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := countEvents(context.Background(), r.store, eventstore.Position{}, int64(n))
		if err != nil {
			t.Fatal(err)
		}
		if got >= int64(n) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log shows %d events, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
