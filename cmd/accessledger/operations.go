package main

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
	"accessledger/projections"
	"accessledger/projections/readmodels"
)

// operations runs what platform admins ask of the serving process through the API.
type operations struct {
	// ctx is the lifetime of the process: a rebuild started through the API stops (and
	// is abandoned) when serve does.
	ctx  context.Context
	pool *pgxpool.Pool
	log  eventstore.LogReader
	rt   *projections.Runtime
	out  *slog.Logger
}

// Status implements http.Operations.
func (o *operations) Status(ctx context.Context) ([]projections.Status, error) {
	return o.rt.Status(ctx)
}

// StartRebuild implements http.Operations: the rebuild runs in the background and logs
// how it ended.
func (o *operations) StartRebuild(ctx context.Context, name string) (bool, error) {
	p, ok := readmodels.ByName(name)
	if !ok {
		return false, nil
	}
	wait, err := projections.StartRebuild(o.ctx, o.pool, o.log, []projections.Projection{p}, projections.RebuildOptions{Logger: o.out})
	if err != nil {
		return true, err
	}
	go func() {
		if _, err := wait(); err != nil {
			o.out.Error("rebuild started through the API failed", "projection", name, "err", err)
		}
	}()
	return true, nil
}
