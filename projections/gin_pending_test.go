package projections

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestRuntimeMergesGINPendingLists: the entries that inserts leave in the pending list of a
// read model's GIN index are merged into the index by the runtime within a few seconds,
// not left for an insert to merge in the middle of a projector's batch.
func TestRuntimeMergesGINPendingLists(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := t.Context()
	for _, sql := range []string{
		"CREATE EXTENSION IF NOT EXISTS pgstattuple",
		"CREATE SCHEMA p_gintest_1",
		"CREATE TABLE p_gintest_1.t (tags int[])",
		fmt.Sprintf("CREATE INDEX t_tags ON p_gintest_1.t USING gin (tags) WITH (gin_pending_list_limit = %d)", GINPendingListLimit),
		"INSERT INTO p_gintest_1.t SELECT ARRAY[i, i + 1, i + 2] FROM generate_series(1, 500) i",
	} {
		if _, err := r.pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	pending := func() int64 {
		var n int64
		if err := r.pool.QueryRow(ctx, "SELECT pending_tuples FROM pgstatginindex('p_gintest_1.t_tags')").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := pending(); n == 0 {
		t.Fatal("the inserts left nothing pending: the test proves nothing")
	}
	rt := NewRuntime(r.pool, r.store, nil, Options{})
	cleaning, stop := context.WithCancel(ctx)
	defer stop()
	go rt.cleanPendingLists(cleaning)
	deadline := time.Now().Add(10 * ginCleanInterval)
	for pending() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d entries still pending after %s", pending(), 10*ginCleanInterval)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
