package projections_test

import (
	"context"
	"testing"
	"time"

	"accessledger/eventstore"
	"accessledger/projections"
	"accessledger/projections/readmodels"
)

// TestBulkRebuildEqualsTheLiveTables rebuilds every read model from a log whose live
// tables the runtime built batch by batch; the rebuild folds in bulk and compares its
// tables with the live ones at the swap. With a tiny bound on what a bulk fold may hold,
// the folds are flushed in the middle of the catch-up and the builds go on batch by batch.
func TestBulkRebuildEqualsTheLiveTables(t *testing.T) {
	t.Parallel()
	for _, held := range []int{0, 40} {
		r := projections.NewRigForTest(t)
		n, _ := appendRebuildLog(t, r.Store, 800, 2)
		waitForEvents(t, r, n)
		rt, stop := r.Start(projections.Options{}, readmodels.All()...)
		head, err := r.Store.Head(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if err := rt.WaitFor(projections.WaitCtxForTest(t), head); err != nil {
			t.Fatal(err)
		}
		stop()
		results, err := projections.RebuildAll(projections.WaitCtxForTest(t), r.Pool, r.Store, readmodels.All(), projections.WithBulkMaxHeldForTest(projections.RebuildOptions{BatchSize: 64}, held))
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
func waitForEvents(t *testing.T, r *projections.Rig, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := projections.CountEventsForTest(context.Background(), r.Store, eventstore.Position{}, int64(n))
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
