package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"accessledger/internal/pgtest"
	"accessledger/projections"
)

// TestEventStoreURLSelectsTheBackend: kurrentdb:// and esdb:// URLs select KurrentDB
// (connecting lazily, so no server is needed to open it); anything else is refused
// without echoing a password.
func TestEventStoreURLSelectsTheBackend(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, url := range []string{"kurrentdb://localhost:2113?tls=false", "esdb://localhost:2113?tls=false"} {
		store, closeStore, err := openEventStore(context.Background(), url, pgtest.NewPool(t), log)
		if err != nil {
			t.Errorf("%s: %v", url, err)
			continue
		}
		if store == nil {
			t.Errorf("%s: no store", url)
		}
		closeStore()
	}
	_, _, err := openEventStore(context.Background(), "postgres://user:secret@db/events", pgtest.NewPool(t), log)
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("a postgres:// event store URL: %v", err)
	}
}

// TestADatabaseKeepsItsEventStore: a database whose read models follow the PostgreSQL
// log refuses KurrentDB, saying what to do, and the other way round.
func TestADatabaseKeepsItsEventStore(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, order := range [][2]string{{"", "kurrentdb://localhost:2113?tls=false"}, {"esdb://localhost:2113?tls=false", ""}} {
		pool := pgtest.NewPool(t)
		_, closeStore, err := openEventStore(context.Background(), order[0], pool, log)
		if err != nil {
			t.Fatal(err)
		}
		closeStore()
		_, _, err = openEventStore(context.Background(), order[1], pool, log)
		if !errors.Is(err, projections.ErrOtherEventLog) || !strings.Contains(err.Error(), "--data-dir") {
			t.Errorf("%q after %q: %v, want a refusal naming --data-dir", order[1], order[0], err)
		}
	}
}
