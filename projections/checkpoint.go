package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
	"accessledger/internal/pgerr"
)

// States of a projection, as Status reports them.
const (
	StateCatchingUp = "catching_up"
	StateRunning    = "running"
	StateRebuilding = "rebuilding"
	StateFailed     = "failed"
)

// ErrLeaseLost reports a commit by a projector that no longer holds its projection's
// lease: another instance took over, or a rebuild switched generations. Nothing of the
// batch is committed.
var ErrLeaseLost = errors.New("projection lease lost")

// errCheckpointBehind reports a batch that follows a checkpoint the database no longer
// has: commits the projector saw succeed were lost, as asynchronous commits (see
// asyncCommitSQL) are when the database crashes while the projector runs on. Nothing
// of the batch is committed; as after a lost lease, the subscriber follows the log
// again from the checkpoint the database has, applying the lost batches again.
var errCheckpointBehind = fmt.Errorf("%w: the stored checkpoint is behind the batch: commits were lost in a database crash", ErrLeaseLost)

// checkpoint is a projection's row in projection_checkpoints.
type checkpoint struct {
	name       string
	version    int
	generation int
	position   eventstore.Position
	epoch      int64
	state      string
}

func (c checkpoint) schema() string { return GenerationSchema(c.name, c.generation) }

// ensureCheckpoint creates the checkpoint row and first generation of p if they do not
// exist yet, and answers the row.
func ensureCheckpoint(ctx context.Context, pool *pgxpool.Pool, p Projection) (checkpoint, error) {
	var c checkpoint
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		// Serialise first installs across instances starting together.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext($1))", "projection:"+p.Name()); err != nil {
			return err
		}
		found, err := readCheckpoint(ctx, tx, p.Name())
		if err == nil {
			c = found
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		c = checkpoint{name: p.Name(), version: p.Version(), generation: 1, state: StateCatchingUp}
		if err := createGeneration(ctx, tx, p, c.schema(), false); err != nil {
			return err
		}
		if err := pointViews(ctx, tx, p, c.schema()); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO projection_checkpoints (name, version, generation, state) VALUES ($1, $2, 1, $3)`,
			c.name, c.version, c.state)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("install projection %s: %w", p.Name(), err)
	}
	return c, nil
}

func readCheckpoint(ctx context.Context, q Querier, name string) (checkpoint, error) {
	c := checkpoint{name: name}
	var pos string
	err := q.QueryRow(ctx, `SELECT version, generation, position, epoch, state FROM projection_checkpoints WHERE name = $1`, name).
		Scan(&c.version, &c.generation, &pos, &c.epoch, &c.state)
	if err != nil {
		return c, err
	}
	c.position, err = eventstore.ParsePosition(pos)
	return c, err
}

// acquireLease makes owner the projection's only projector for ttl, unless another
// owner holds an unexpired lease, the projection failed, its live tables were built by
// another version of the code than version (a rebuild is due), or it never applied an
// event and a build of it is under way (which would do the same work faster). A new
// lease raises the epoch, so that the previous holder's commits fail from then on.
func acquireLease(ctx context.Context, pool *pgxpool.Pool, name string, version int, owner string, ttl time.Duration) (checkpoint, bool, error) {
	c := checkpoint{name: name}
	var pos string
	err := pool.QueryRow(ctx, `UPDATE projection_checkpoints
		SET epoch = epoch + 1, lease_owner = $2, lease_expires_at = now() + $3::interval, updated_at = now()
		WHERE name = $1 AND version = $4 AND state <> 'failed'
		  AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at < now())
		  AND NOT (position = $5 AND rebuild_owner IS NOT NULL AND rebuild_expires_at > now())
		RETURNING version, generation, position, epoch, state`, name, owner, ttl, version, eventstore.Position{}.String()).
		Scan(&c.version, &c.generation, &pos, &c.epoch, &c.state)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("lease %s: %w", name, err)
	}
	c.position, err = eventstore.ParsePosition(pos)
	return c, err == nil, err
}

// renewLease extends a held lease; it fails with ErrLeaseLost when the lease is gone.
func renewLease(ctx context.Context, pool *pgxpool.Pool, name string, epoch int64, ttl time.Duration) error {
	tag, err := pool.Exec(ctx, `UPDATE projection_checkpoints SET lease_expires_at = now() + $3::interval
		WHERE name = $1 AND epoch = $2`, name, epoch, ttl)
	if err != nil {
		return fmt.Errorf("renew lease of %s: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrLeaseLost
	}
	return nil
}

// releaseLease gives up a lease so that another instance need not wait for it to expire.
func releaseLease(ctx context.Context, pool *pgxpool.Pool, name string, epoch int64) {
	_, _ = pool.Exec(ctx, `UPDATE projection_checkpoints SET lease_owner = NULL, lease_expires_at = NULL
		WHERE name = $1 AND epoch = $2`, name, epoch)
}

// commitCheckpointSQL moves a checkpoint on in a batch's transaction, which holds the
// checkpoint row locked since it checked the lease and generation.
const commitCheckpointSQL = `UPDATE projection_checkpoints
	SET position = $4, events_applied = events_applied + $5, last_event_at = $6, state = $7, updated_at = now()
	WHERE name = $1 AND epoch = $2 AND generation = $3`

// markFailed records why a projection stopped, so that status shows it; the checkpoint
// stays before the event that failed.
func markFailed(ctx context.Context, pool *pgxpool.Pool, name string, epoch int64, cause error) error {
	var stream, position *string
	if name, at, ok := failedEvent(cause); ok {
		p := at.String()
		stream, position = &name, &p
	}
	_, err := pool.Exec(ctx, `UPDATE projection_checkpoints
		SET state = 'failed', last_error = $3, error_stream = $4, error_position = $5, failed_at = now(),
		    lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
		WHERE name = $1 AND epoch = $2`, name, epoch, cause.Error(), stream, position)
	return err
}

// failedEvent answers the stream and position of the event that cause names, if any.
func failedEvent(cause error) (string, eventstore.Position, bool) {
	var poison *PoisonError
	if errors.As(cause, &poison) {
		return poison.Stream, poison.Position, true
	}
	var failed *EventError
	if errors.As(cause, &failed) {
		return failed.Stream, failed.Position, true
	}
	return "", eventstore.Position{}, false
}

// queueStoredPosition queues the lock of the checkpoint row of c's projection and the
// read of its position into at; the query fails with ErrLeaseLost when c's lease or
// generation is no longer the live one. Sent first in a batch's transaction, before any
// write, it orders the batch with a rebuild's swap: one waits for the other, and neither
// holds a lock the other needs.
func queueStoredPosition(b *pgx.Batch, c checkpoint, at *eventstore.Position) {
	b.Queue(`SELECT position FROM projection_checkpoints WHERE name = $1 AND epoch = $2 AND generation = $3
		FOR UPDATE`, c.name, c.epoch, c.generation).QueryRow(func(row pgx.Row) error {
		var text string
		err := row.Scan(&text)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrLeaseLost
		}
		if err != nil {
			return fmt.Errorf("read checkpoint of %s: %w", c.name, err)
		}
		*at, err = eventstore.ParsePosition(text)
		return err
	})
}

// queueCommitCheckpoint queues the move of c's checkpoint to last, n events on; it
// fails with ErrLeaseLost when the checkpoint is no longer c's.
func queueCommitCheckpoint(b *pgx.Batch, c checkpoint, last eventstore.Event, n int) {
	b.Queue(commitCheckpointSQL, c.name, c.epoch, c.generation, last.Position.String(), n, last.RecordedAt, c.state).
		Exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() == 0 {
				return ErrLeaseLost
			}
			return nil
		})
}

// lostToASwap answers ErrLeaseLost for a batch that failed because its generation's
// tables are gone: a rebuild swapped in a new generation and dropped them. The pipeline
// that locks the checkpoint is prepared whole before it runs, so such a batch fails
// on the missing tables before the lock can tell it the lease is lost. Any other
// failure is answered as it is.
func lostToASwap(ctx context.Context, pool *pgxpool.Pool, c checkpoint, err error) error {
	if !pgerr.Undefined(err) {
		return err
	}
	now, rerr := readCheckpoint(ctx, pool, c.name)
	if rerr == nil && (now.epoch != c.epoch || now.generation != c.generation) {
		return ErrLeaseLost
	}
	return err
}
