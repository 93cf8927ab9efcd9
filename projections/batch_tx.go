package projections

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A live batch costs its projector one round trip per pipeline it sends, and on a busy
// machine each round trip waits for both processes to be scheduled. So the transaction a
// projector hands Apply sends nothing of its own until it must: the statements that
// begin it, lock the checkpoint and read the streams' versions ride ahead of the read
// model's first pipeline (its reads); and the read model's last writes, which need no
// answer before the commit, ride with the checkpoint (SendLast) and, once the lock has
// answered, with COMMIT. A read model that reads once and writes once costs two round
// trips.

// batchTx is the transaction a projector hands Apply.
type batchTx struct {
	pgx.Tx  // nil until it is open
	pool    *pgxpool.Pool
	conn    *pgxpool.Conn // the connection it holds while open
	opening *pgx.Batch    // the statements that open it, until they are sent
	opened  func() error  // checks what they answered
	last    *pgx.Batch    // what SendLast queued
}

// errAfterLast is a statement sent after SendLast, which would run before what it queued.
var errAfterLast = errors.New("projections: a statement after SendLast")

// SendLast sends the statements queued in b as a batch's last writes: on a projector's
// transaction, in the same round trip as the checkpoint and after everything else Apply
// sent; on any other (a rebuild's, a test's), at once, as SendBatch does. Apply must call
// it last, and the errors of its statements may surface at the commit, with what named in
// neither case but this one's.
func SendLast(ctx context.Context, tx pgx.Tx, b *pgx.Batch, what string) error {
	if t, ok := tx.(*batchTx); ok {
		if t.last == nil {
			t.last = &pgx.Batch{}
		}
		t.last.QueuedQueries = append(t.last.QueuedQueries, b.QueuedQueries...)
		return nil
	}
	return SendBatch(ctx, tx, b, what)
}

// open sends the opening statements with b's after them, and answers the results, whose
// Close also checks what the opening statements answered. Read b's results through its
// queued queries' callbacks: the opening statements' results come first.
func (t *batchTx) open(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	opening := t.opening
	t.opening = nil
	opening.QueuedQueries = append(opening.QueuedQueries, b.QueuedQueries...)
	conn, err := t.pool.Acquire(ctx)
	if err != nil {
		return pgx.FailedBatchResults(opening, err)
	}
	t.conn = conn
	results := conn.Conn().SendBatch(ctx, opening)
	t.Tx = results.Tx()
	return &openingResults{BatchResults: results, opened: t.opened}
}

// ensureOpen opens the transaction, if it is not, in a round trip of its own.
func (t *batchTx) ensureOpen(ctx context.Context) error {
	if t.opening == nil {
		return nil
	}
	return t.open(ctx, &pgx.Batch{}).Close()
}

// commitWith sends the last writes with what the caller added to them, and commits. When
// the transaction is open, its lock has answered, and COMMIT rides in the same pipeline:
// a statement that fails before it aborts the transaction, and COMMIT then rolls it back.
// When it is not, the lock goes with them, and COMMIT waits for its answer.
func (t *batchTx) commitWith(ctx context.Context, final *pgx.Batch) error {
	if t.opening != nil {
		if err := t.open(ctx, final).Close(); err != nil {
			return err
		}
		err := t.Tx.Commit(ctx)
		t.Tx = nil
		return err
	}
	var tag pgconn.CommandTag
	final.Queue("COMMIT").Exec(func(ct pgconn.CommandTag) error { tag = ct; return nil })
	if err := t.Tx.SendBatch(ctx, final).Close(); err != nil {
		return err
	}
	if tag.String() != "COMMIT" {
		return pgx.ErrTxCommitRollback
	}
	t.Tx = nil // committed: nothing to roll back
	return nil
}

// takeLast answers the statements SendLast queued, in a batch the caller adds to; no
// statement may follow them.
func (t *batchTx) takeLast() *pgx.Batch {
	if t.last == nil {
		t.last = &pgx.Batch{}
	}
	return t.last
}

// end rolls back the transaction if it was begun and not committed, and gives back the
// connection; pgxpool closes one it finds still in a transaction.
func (t *batchTx) end(ctx context.Context) {
	if t.Tx != nil && t.conn != nil && t.conn.Conn().PgConn().TxStatus() != 'I' {
		_ = t.Tx.Rollback(context.WithoutCancel(ctx))
	}
	if t.conn != nil {
		t.conn.Release()
	}
}

// ready refuses a statement after SendLast, and opens the transaction for one that
// comes outside a pipeline.
func (t *batchTx) ready(ctx context.Context) error {
	if t.last != nil {
		return errAfterLast
	}
	return t.ensureOpen(ctx)
}

// Exec implements pgx.Tx.
func (t *batchTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.ready(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	return t.Tx.Exec(ctx, sql, args...)
}

// Query implements pgx.Tx.
func (t *batchTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.ready(ctx); err != nil {
		return nil, err
	}
	return t.Tx.Query(ctx, sql, args...)
}

// QueryRow implements pgx.Tx.
func (t *batchTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.ready(ctx); err != nil {
		return errRow{err}
	}
	return t.Tx.QueryRow(ctx, sql, args...)
}

// SendBatch implements pgx.Tx: the first pipeline carries the opening statements.
func (t *batchTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	switch {
	case t.last != nil:
		return pgx.FailedBatchResults(b, errAfterLast)
	case t.opening != nil:
		return t.open(ctx, b)
	}
	return t.Tx.SendBatch(ctx, b)
}

// CopyFrom implements pgx.Tx.
func (t *batchTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	if err := t.ready(ctx); err != nil {
		return 0, err
	}
	return t.Tx.CopyFrom(ctx, table, columns, src)
}

// Prepare implements pgx.Tx.
func (t *batchTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	if err := t.ready(ctx); err != nil {
		return nil, err
	}
	return t.Tx.Prepare(ctx, name, sql)
}

// Begin implements pgx.Tx: a savepoint in the batch's transaction.
func (t *batchTx) Begin(ctx context.Context) (pgx.Tx, error) {
	if err := t.ready(ctx); err != nil {
		return nil, err
	}
	return t.Tx.Begin(ctx)
}

// errApplyEndsTx is Apply ending the transaction of its batch, which only the projector may.
var errApplyEndsTx = errors.New("projections: Apply may not end its batch's transaction")

// Commit implements pgx.Tx, refusing: the projector commits the batch with its checkpoint.
func (t *batchTx) Commit(context.Context) error { return errApplyEndsTx }

// Rollback implements pgx.Tx, refusing: a failed Apply answers its error instead.
func (t *batchTx) Rollback(context.Context) error { return errApplyEndsTx }

// Conn implements pgx.Tx, opening the transaction first.
func (t *batchTx) Conn() *pgx.Conn {
	if t.ensureOpen(context.Background()) != nil || t.Tx == nil {
		return nil
	}
	return t.Tx.Conn()
}

// openingResults are the results of the pipeline that opened a batchTx.
type openingResults struct {
	pgx.BatchResults
	opened func() error
	closed bool
	err    error
}

// Close implements pgx.BatchResults, and checks what the opening statements answered.
func (r *openingResults) Close() error {
	if r.closed {
		return r.err
	}
	r.closed = true
	r.err = r.BatchResults.Close()
	if r.err == nil {
		r.err = r.opened()
	}
	return r.err
}

// errRow is a row that answers err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
