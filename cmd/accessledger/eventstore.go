package main

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
)

// openPostgresLog opens the Postgres event store on pool as the log that verify walks
// and the projections commands read.
func openPostgresLog(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (eventstore.LogReader, func(), error) {
	store, err := postgres.Open(ctx, pool, postgres.Options{Logger: log})
	if err != nil {
		return nil, nil, err
	}
	return store, store.Close, nil
}
