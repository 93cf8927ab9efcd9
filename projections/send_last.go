package projections

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// A live batch costs its projector one round trip per pipeline it sends, and on a busy
// machine each round trip waits for both processes to be scheduled. A read model's last
// writes need no answer before the commit, so they can ride in the pipeline that moves the
// checkpoint on: SendLast queues them there.

// lastWrites is the transaction a projector hands Apply: it holds the statements SendLast
// queued until the checkpoint's pipeline sends them, and refuses any statement after them,
// which would run before them.
type lastWrites struct {
	pgx.Tx
	last *pgx.Batch
}

// errAfterLast is a statement sent after SendLast, which would run before what it queued.
var errAfterLast = errors.New("projections: a statement after SendLast")

// SendLast sends the statements queued in b as a batch's last writes: on a projector's
// transaction, in the same round trip as the checkpoint and after everything else Apply
// sent; on any other (a rebuild's, a test's), at once, as SendBatch does. Apply must call
// it last, and the errors of its statements may surface at the commit, with what named in
// neither case but this one's.
func SendLast(ctx context.Context, tx pgx.Tx, b *pgx.Batch, what string) error {
	if w, ok := tx.(*lastWrites); ok {
		if w.last == nil {
			w.last = &pgx.Batch{}
		}
		w.last.QueuedQueries = append(w.last.QueuedQueries, b.QueuedQueries...)
		return nil
	}
	return SendBatch(ctx, tx, b, what)
}

// takeLast answers the statements SendLast queued, in a batch the caller adds to.
func (w *lastWrites) takeLast() *pgx.Batch {
	if w.last == nil {
		return &pgx.Batch{}
	}
	return w.last
}

// Exec implements pgx.Tx, refusing a statement after SendLast.
func (w *lastWrites) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if w.last != nil {
		return pgconn.CommandTag{}, errAfterLast
	}
	return w.Tx.Exec(ctx, sql, args...)
}

// Query implements pgx.Tx, refusing a statement after SendLast.
func (w *lastWrites) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if w.last != nil {
		return nil, errAfterLast
	}
	return w.Tx.Query(ctx, sql, args...)
}

// QueryRow implements pgx.Tx, refusing a statement after SendLast.
func (w *lastWrites) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if w.last != nil {
		return errRow{errAfterLast}
	}
	return w.Tx.QueryRow(ctx, sql, args...)
}

// SendBatch implements pgx.Tx, refusing a batch after SendLast.
func (w *lastWrites) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if w.last != nil {
		return pgx.FailedBatchResults(b, errAfterLast)
	}
	return w.Tx.SendBatch(ctx, b)
}

// CopyFrom implements pgx.Tx, refusing a copy after SendLast.
func (w *lastWrites) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	if w.last != nil {
		return 0, errAfterLast
	}
	return w.Tx.CopyFrom(ctx, table, columns, src)
}

// errRow is a row that answers err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
