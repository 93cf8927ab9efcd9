package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
)

// applyEvents applies the decoded events of a batch (envs: those before the first that
// could not be decoded, whose error decodeErr is) to a projection's live generation and
// advances its checkpoint. It commits as much as it can: when a batch fails, it applies
// the events one by one, so that everything before a bad event takes effect and the
// error names that event (a *PoisonError, or an *EventError for a failure that may
// pass). Events at or before the stored checkpoint are skipped, so a redelivered batch
// is harmless. The envelopes may be shared with other projections: nothing changes them.
func applyEvents(ctx context.Context, pool *pgxpool.Pool, p Projection, c checkpoint, envs []Envelope, decodeErr error, beforeCommit func()) error {
	if len(envs) > 0 {
		err := applyBatch(ctx, pool, p, c, envs, beforeCommit)
		if err != nil && len(envs) > 1 && !errors.Is(err, ErrLeaseLost) && ctx.Err() == nil {
			err = applyOneByOne(ctx, pool, p, c, envs, beforeCommit)
		}
		if err != nil {
			return err
		}
	}
	return decodeErr
}

// decodePrefix decodes events up to the first that cannot be, and answers that one's
// *PoisonError beside the events before it.
func decodePrefix(events []eventstore.Event) ([]Envelope, error) {
	envs, err := Decode(events)
	if err == nil {
		return envs, nil
	}
	var poison *PoisonError
	if !errors.As(err, &poison) {
		return nil, err
	}
	for i := range events {
		if events[i].Position == poison.Position {
			prefix, _ := Decode(events[:i])
			return prefix, err
		}
	}
	return nil, err
}

func applyOneByOne(ctx context.Context, pool *pgxpool.Pool, p Projection, c checkpoint, envs []Envelope, beforeCommit func()) error {
	for i := range envs {
		if err := applyBatch(ctx, pool, p, c, envs[i:i+1], beforeCommit); err != nil {
			var poison *PoisonError
			if errors.As(err, &poison) || errors.Is(err, ErrLeaseLost) {
				return err
			}
			e := &envs[i]
			return &EventError{Stream: e.Stream, Version: e.Version, Position: e.Position, Err: err}
		}
	}
	return nil
}

// EventError is an event whose application failed for a reason that may pass (a lost
// connection, a deadlock) or that nobody foresaw (a bug in Apply): it is retried, and
// stops the projection with the event named when the retries run out.
type EventError struct {
	Stream   string
	Version  int64
	Position eventstore.Position
	Err      error
}

// Error implements error: the event named, then the cause.
func (e *EventError) Error() string {
	return fmt.Sprintf("%s version %d (position %s): %v", e.Stream, e.Version, e.Position, e.Err)
}

// Unwrap answers the cause, for errors.Is and errors.As.
func (e *EventError) Unwrap() error { return e.Err }

// applyBatch applies one batch of decoded events to a projection's generation and
// advances its checkpoint, in one transaction: the batch takes effect exactly once or not
// at all. The checkpoint row is locked first; a checkpoint that moved (another projector
// took the lease, a rebuild swapped generations) rolls the batch back.
//
// The lock rides ahead of the read model's reads (see batchTx), so Apply is called on the
// whole batch, expecting the checkpoint to be where the message says; when part of the
// batch was applied already, the batch is rolled back and applied again, the lock first.
func applyBatch(ctx context.Context, pool *pgxpool.Pool, p Projection, c checkpoint, envs []Envelope, beforeCommit func()) error {
	err := applyBatchAs(ctx, pool, p, c, envs, beforeCommit, true)
	if errors.Is(err, errNotAtCheckpoint) {
		err = applyBatchAs(ctx, pool, p, c, envs, beforeCommit, false)
	}
	return err
}

// errNotAtCheckpoint is a batch whose first events were applied already.
var errNotAtCheckpoint = errors.New("the checkpoint is past the batch's start")

// applyBatchAs is applyBatch, with the lock ahead of the read model's reads or, when
// not ahead, in a round trip of its own whose answer decides which events to apply.
func applyBatchAs(ctx context.Context, pool *pgxpool.Pool, p Projection, c checkpoint, envs []Envelope, beforeCommit func(), ahead bool) error {
	var at eventstore.Position
	applied := streamVersions{}
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	// A read model is derived from the log, which is durable: a batch lost in a crash
	// is applied again from the checkpoint it rolled back with. So its commit need not
	// wait for the WAL to reach the disk, a wait that every projection paid per batch.
	b.Queue(asyncCommitSQL)
	queueStoredPosition(b, c, &at)
	// Only the streams in the projection's continuity scope are checked and recorded.
	scope := scopeOf(p)
	queueReadVersions(b, c.schema(), envs, scope, applied)
	t := &batchTx{pool: pool, opening: b, opened: func() error { return nil }}
	defer t.end(ctx)
	batch := envs
	if ahead {
		t.opened = func() error { return expectAt(c, at, envs, scope, applied) }
	} else {
		if err := t.ensureOpen(ctx); err != nil {
			return lostToASwap(ctx, pool, c, err)
		}
		if at.Before(c.position) {
			return errCheckpointBehind
		}
		if batch = after(envs, at); len(batch) == 0 {
			return nil
		}
		if err := applied.check(batch, scope); err != nil {
			return err
		}
	}
	if err := p.Apply(ctx, t, c.schema(), batch); err != nil {
		return lostToASwap(ctx, pool, c, fmt.Errorf("%s: apply %d events after %s: %w", p.Name(), len(batch), c.position, err))
	}
	if beforeCommit != nil {
		beforeCommit()
	}
	// The read model's last writes, where the streams now end, the checkpoint's move and
	// the commit go together.
	final := t.takeLast()
	queueRecordVersions(final, c.schema(), batch, scope)
	queueCommitCheckpoint(final, c, batch[len(batch)-1].Event, len(batch))
	if err := t.commitWith(ctx, final); err != nil {
		return lostToASwap(ctx, pool, c, fmt.Errorf("%s: write %d events after %s: %w", p.Name(), len(batch), c.position, err))
	}
	return nil
}

// expectAt checks, for a batch applied ahead of its lock, that the stored checkpoint is
// the one the batch follows and that each stream of the batch in scope continues where
// it was left.
func expectAt(c checkpoint, at eventstore.Position, envs []Envelope, scope continuityScope, applied streamVersions) error {
	switch {
	case at.Before(c.position):
		return errCheckpointBehind
	case at != c.position:
		return errNotAtCheckpoint
	}
	return applied.check(envs, scope)
}

// asyncCommitSQL lets the transaction it runs in commit without waiting for its WAL to
// be flushed; it becomes visible at once, and a crash can only lose it whole.
const asyncCommitSQL = "SELECT set_config('synchronous_commit', 'off', true)"

// after answers the events of envs that follow position at.
func after(envs []Envelope, at eventstore.Position) []Envelope {
	for i := range envs {
		if at.Before(envs[i].Position) {
			return envs[i:]
		}
	}
	return nil
}

// SendBatch sends the statements queued in b in one pipeline, if there are any; what
// names them in the error.
func SendBatch(ctx context.Context, tx pgx.Tx, b *pgx.Batch, what string) error {
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
