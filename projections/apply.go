package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
)

// streamVersionsTable records, in each generation schema, the last version applied of
// every stream, so that a missing or repeated event is caught instead of skipped.
const streamVersionsTable = "_stream_versions"

// applyEvents applies events, decoded or not, to a projection's live generation and
// advances its checkpoint. It commits as much as it can: when a batch fails, it applies
// the events one by one, so that everything before a bad event takes effect and the
// error names that event (a *PoisonError, or an *EventError for a failure that may
// pass). Events at or before the stored checkpoint are skipped, so a redelivered batch
// is harmless.
func applyEvents(ctx context.Context, pool *pgxpool.Pool, p Projection, c checkpoint, events []eventstore.Event, beforeCommit func()) error {
	envs, decodeErr := decodePrefix(events)
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

func (e *EventError) Error() string {
	return fmt.Sprintf("%s version %d (position %s): %v", e.Stream, e.Version, e.Position, e.Err)
}

func (e *EventError) Unwrap() error { return e.Err }

// applyBatch applies one batch of decoded events to a projection's generation and
// advances its checkpoint, in one transaction: the batch takes effect exactly once or not
// at all. The checkpoint row is locked first; a checkpoint that moved (another projector
// took the lease, a rebuild swapped generations) rolls the batch back.
func applyBatch(ctx context.Context, pool *pgxpool.Pool, p Projection, c checkpoint, envs []Envelope, beforeCommit func()) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		at, err := storedPosition(ctx, tx, c)
		if err != nil {
			return err
		}
		batch := after(envs, at)
		if len(batch) == 0 {
			return nil
		}
		if err := checkContinuity(ctx, tx, c.schema(), batch); err != nil {
			return err
		}
		if err := p.Apply(ctx, tx, c.schema(), batch); err != nil {
			return fmt.Errorf("%s: apply %d events after %s: %w", p.Name(), len(batch), at, err)
		}
		if beforeCommit != nil {
			beforeCommit()
		}
		return commitCheckpoint(ctx, tx, c, batch[len(batch)-1].Event, len(batch))
	})
}

// after answers the events of envs that follow position at.
func after(envs []Envelope, at eventstore.Position) []Envelope {
	for i := range envs {
		if at.Before(envs[i].Position) {
			return envs[i:]
		}
	}
	return nil
}

// checkContinuity refuses a batch in which a stream does not continue exactly where the
// projection left it, and records where each stream of the batch now ends.
func checkContinuity(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error {
	first := map[string]int{} // index of each stream's first event in the batch
	last := map[string]int64{}
	for i := range batch {
		e := &batch[i]
		if prev, seen := last[e.Stream]; seen && e.Version != prev+1 {
			return gapError(e, prev)
		}
		if _, seen := first[e.Stream]; !seen {
			first[e.Stream] = i
		}
		last[e.Stream] = e.Version
	}
	streams := make([]string, 0, len(first))
	for s := range first {
		streams = append(streams, s)
	}
	table := qualified(schema, streamVersionsTable)
	rows, err := tx.Query(ctx, "SELECT stream, version FROM "+table+" WHERE stream = ANY($1)", streams)
	if err != nil {
		return fmt.Errorf("read stream versions: %w", err)
	}
	applied := map[string]int64{}
	var stream string
	var version int64
	_, err = pgx.ForEachRow(rows, []any{&stream, &version}, func() error { applied[stream] = version; return nil })
	if err != nil {
		return fmt.Errorf("read stream versions: %w", err)
	}
	versions := make([]int64, len(streams))
	for i, s := range streams {
		if e := &batch[first[s]]; e.Version != applied[s]+1 {
			return gapError(e, applied[s])
		}
		versions[i] = last[s]
	}
	_, err = tx.Exec(ctx, "INSERT INTO "+table+` (stream, version) SELECT * FROM unnest($1::text[], $2::bigint[])
		ON CONFLICT (stream) DO UPDATE SET version = excluded.version`, streams, versions)
	if err != nil {
		return fmt.Errorf("record stream versions: %w", err)
	}
	return nil
}

func gapError(e *Envelope, prev int64) error {
	return &PoisonError{Stream: e.Stream, Version: e.Version, Position: e.Position,
		Err: fmt.Errorf("stream continues at version %d after %d: %w", e.Version, prev, ErrGap)}
}

// ErrGap marks an event that does not follow the last one applied of its stream.
var ErrGap = errors.New("gap in stream")

// sendBatch sends the statements queued in b in one pipeline, if there are any; what
// names them in the error.
func sendBatch(ctx context.Context, tx pgx.Tx, b *pgx.Batch, what string) error {
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
