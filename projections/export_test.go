package projections

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
)

// What the external tests (package projections_test) need of the runtime's internals.
// Those tests run the real read models, whose packages import this one: in package
// projections they would make an import cycle.

// Rig is the test rig for external tests: an event store and a database for runtimes.
type Rig struct {
	URL   string
	Pool  *pgxpool.Pool
	Store *postgres.Store
	rig   *rig
}

// NewRigForTest opens a rig on a fresh database, closed when t ends.
func NewRigForTest(t testing.TB) *Rig {
	t.Helper()
	return exportRig(newRig(t))
}

// OpenRigForTest opens a rig on the database at url, closed when t ends.
func OpenRigForTest(t testing.TB, url string) *Rig {
	t.Helper()
	return exportRig(openRig(t, url))
}

func exportRig(r *rig) *Rig {
	return &Rig{URL: r.url, Pool: r.pool, Store: r.store, rig: r}
}

// Start runs a runtime of ps, with short leases and retries, until the test ends or stop
// is called.
func (r *Rig) Start(opts Options, ps ...Projection) (rt *Runtime, stop func()) {
	r.rig.t.Helper()
	return r.rig.start(opts, ps...)
}

// WaitCtxForTest answers a context that ends after 20 seconds or with t.
func WaitCtxForTest(t *testing.T) context.Context {
	t.Helper()
	return waitCtx(t)
}

// WithBulkMaxHeldForTest answers o with a bound of held rows on what a bulk fold may
// hold (0: the default), so that a test can force flushes in the middle of a catch-up.
func WithBulkMaxHeldForTest(o RebuildOptions, held int) RebuildOptions {
	o.bulkMaxHeld = held
	return o
}

// CountEventsForTest answers how many events of log follow after, counting up to limit.
func CountEventsForTest(ctx context.Context, log eventstore.LogReader, after eventstore.Position, limit int64) (int64, error) {
	return countEvents(ctx, log, after, limit)
}

// EnsureCheckpointForTest installs p's checkpoint and tables, as the runtime does at
// start, unless they are there.
func EnsureCheckpointForTest(ctx context.Context, pool *pgxpool.Pool, p Projection) error {
	_, err := ensureCheckpoint(ctx, pool, p)
	return err
}
