package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/eventstore/kurrentdb"
	"accessledger/eventstore/postgres"
	"accessledger/projections"
)

// openEventStore opens the event store that url selects (see openStore) for a process
// that writes events or read models: it refuses a store other than the one the
// database's read models follow.
func openEventStore(ctx context.Context, url string, pool *pgxpool.Pool, log *slog.Logger) (eventstore.Store, func(), error) {
	if err := bindEventLog(ctx, url, pool); err != nil {
		return nil, nil, err
	}
	return openStore(ctx, url, pool, log)
}

// bindEventLog refuses, with what to do, the event store of url when the database's
// read models follow another; on a database that follows none yet, it binds them to it.
func bindEventLog(ctx context.Context, url string, pool *pgxpool.Pool) error {
	kind, err := eventLogKind(url)
	if err != nil {
		return err
	}
	if err := projections.BindEventLog(ctx, pool, kind); err != nil {
		return fmt.Errorf("%w: start with the event store this database began with, "+
			"or give this one a database of its own (DATABASE_URL, or --data-dir for a private cluster)", err)
	}
	return nil
}

// openStore opens the event store that url selects: a KurrentDB (EventStoreDB) server
// for kurrentdb:// and esdb:// URLs, else the Postgres store on pool, which also holds
// the read models and checkpoints in either case.
func openStore(ctx context.Context, url string, pool *pgxpool.Pool, log *slog.Logger) (eventstore.Store, func(), error) {
	kind, err := eventLogKind(url)
	if err != nil {
		return nil, nil, err
	}
	if kind == projections.EventLogPostgres {
		store, err := postgres.Open(ctx, pool, postgres.Options{Logger: log})
		if err != nil {
			return nil, nil, err
		}
		return store, store.Close, nil
	}
	store, err := kurrentdb.Open(url, kurrentdb.Options{StreamPrefixes: domain.StreamPrefixes(), Logger: log})
	if err != nil {
		return nil, nil, err
	}
	log.Info("events are kept in KurrentDB; read models and checkpoints in PostgreSQL")
	return store, func() { _ = store.Close() }, nil
}

// eventLogKind answers the event log that an --eventstore-url selects.
func eventLogKind(url string) (string, error) {
	switch {
	case url == "":
		return projections.EventLogPostgres, nil
	case strings.HasPrefix(url, "kurrentdb://"), strings.HasPrefix(url, "kurrentdb+discover://"),
		strings.HasPrefix(url, "esdb://"), strings.HasPrefix(url, "esdb+discover://"):
		return projections.EventLogKurrentDB, nil
	}
	return "", fmt.Errorf("--eventstore-url: %q is not a kurrentdb:// or esdb:// URL", redactURL(url))
}

// redactURL answers url without its password, for messages.
func redactURL(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return "..."
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = "***" + rest[at:]
	}
	return scheme + "://" + rest
}

// openSelectedLog opens the event store of url as the log that verify walks and the
// projections commands read. It binds nothing: verify only reads, and the projections
// commands bind before they open it.
func openSelectedLog(ctx context.Context, url string, pool *pgxpool.Pool, log *slog.Logger) (eventstore.LogReader, func(), error) {
	return openStore(ctx, url, pool, log)
}
