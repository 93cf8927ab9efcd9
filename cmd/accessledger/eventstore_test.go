package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// TestEventStoreURLSelectsTheBackend: kurrentdb:// and esdb:// URLs select KurrentDB
// (connecting lazily, so no server is needed to open it); anything else is refused
// without echoing a password.
func TestEventStoreURLSelectsTheBackend(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, url := range []string{"kurrentdb://localhost:2113?tls=false", "esdb://localhost:2113?tls=false"} {
		store, closeStore, err := openEventStore(context.Background(), url, nil, log)
		if err != nil {
			t.Errorf("%s: %v", url, err)
			continue
		}
		if store == nil {
			t.Errorf("%s: no store", url)
		}
		closeStore()
	}
	_, _, err := openEventStore(context.Background(), "postgres://user:secret@db/events", nil, log)
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("a postgres:// event store URL: %v", err)
	}
}
