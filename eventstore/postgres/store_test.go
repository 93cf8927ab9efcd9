package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
	"accessledger/eventstore/storetest"
	"accessledger/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		NewStore: func(t *testing.T) eventstore.Store { return openStore(t, pgtest.NewPool(t)) },
		Tamper:   tamper,
		HoldOpen: holdOpen,
	})
}

func openStore(t testing.TB, pool *pgxpool.Pool) *Store {
	t.Helper()
	s, err := Open(context.Background(), pool, Options{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// tamper edits a stored event's data as someone with database access could: first
// switching off the trigger that keeps the table append-only.
func tamper(t *testing.T, s eventstore.Store, stream string, version int64) {
	t.Helper()
	tx, err := s.(*Store).pool.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	steps := []struct {
		sql  string
		args []any
	}{
		{`ALTER TABLE events DISABLE TRIGGER events_append_only`, nil},
		{`UPDATE events SET data = '{"n": 999}' WHERE stream = $1 AND stream_version = $2`, []any{stream, version}},
		{`ALTER TABLE events ENABLE TRIGGER events_append_only`, nil},
	}
	for _, step := range steps {
		if _, err := tx.Exec(context.Background(), step.sql, step.args...); err != nil {
			t.Fatalf("tamper: %s: %v", step.sql, err)
		}
	}
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// holdOpen appends through the store's own append path inside a transaction that it
// leaves open until commit is called.
func holdOpen(t *testing.T, es eventstore.Store, stream string, events ...eventstore.EventData) func() {
	t.Helper()
	s := es.(*Store)
	ctx := context.Background()
	prepared, err := eventstore.PrepareAppend(stream, eventstore.NoStream(), events, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.appendOnce(ctx, tx, stream, eventstore.NoStream(), prepared); err != nil {
		_ = tx.Rollback(ctx)
		t.Fatalf("append in held transaction: %v", err)
	}
	committed := false
	t.Cleanup(func() {
		if !committed {
			_ = tx.Rollback(ctx)
		}
	})
	return func() {
		committed = true
		if err := tx.Commit(ctx); err != nil {
			t.Errorf("commit held transaction: %v", err)
		}
		s.appended()
	}
}
