package postgres_test

import (
	"context"
	"testing"
	"time"

	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
)

func TestOldestTransactionNamesTheStall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	store, err := postgres.Open(ctx, pool, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var pid int32
	var xid string
	// pg_current_xact_id gives the transaction its id, as a first write would.
	if err := tx.QueryRow(ctx, "SELECT pg_backend_pid(), pg_current_xact_id()::text").Scan(&pid, &xid); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	st, ok, err := store.OldestTransaction(ctx)
	if err != nil || !ok {
		t.Fatalf("OldestTransaction = %+v, %t, %v; want the open transaction", st, ok, err)
	}
	// Parallel tests may hold an older one; ours must be at least this old if it is ours.
	if st.PID == pid && st.Age < 20*time.Millisecond {
		t.Errorf("age %s, want at least 20ms", st.Age)
	}
	if st.Age <= 0 {
		t.Errorf("age %s, want above zero", st.Age)
	}
}
