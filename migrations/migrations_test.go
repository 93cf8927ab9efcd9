package migrations_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
	"accessledger/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestEventLogMigrationBindsDatabasesThatHoldEvents: a database that already holds
// events when migration 6 arrives follows the PostgreSQL log; an empty one is bound by
// the first process to start.
func TestEventLogMigrationBindsDatabasesThatHoldEvents(t *testing.T) {
	for _, tt := range []struct {
		name       string
		withEvents bool
		want       []string
	}{
		{"with events", true, []string{"postgres"}},
		{"empty", false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			pool := pgtest.NewPool(t)
			conn := acquire(t, pool)
			if err := migrations.MigrateTo(ctx, conn, 5); err != nil {
				t.Fatal(err)
			}
			if tt.withEvents {
				appendOne(t, pool)
			}
			if err := migrations.MigrateTo(ctx, conn, 6); err != nil {
				t.Fatal(err)
			}
			rows, _ := conn.Query(ctx, `SELECT kind FROM event_log`)
			kinds, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatal(err)
			}
			if len(kinds) != len(tt.want) || len(kinds) == 1 && kinds[0] != tt.want[0] {
				t.Fatalf("event_log holds %v, want %v", kinds, tt.want)
			}
		})
	}
}

func acquire(t *testing.T, pool *pgxpool.Pool) *pgx.Conn {
	t.Helper()
	c, err := pool.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Release)
	return c.Conn()
}

func appendOne(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	store, err := postgres.Open(ctx, pool, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	e := eventstore.EventData{ID: uuid.New(), Type: "test.happened", Data: json.RawMessage(`{}`)}
	if _, err := store.Append(ctx, "test-1", eventstore.NoStream(), e); err != nil {
		t.Fatal(err)
	}
}
