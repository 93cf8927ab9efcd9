package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// streamVersionsTable records, in each generation schema, the last version applied of
// every stream, so that a missing or repeated event is caught instead of skipped.
const streamVersionsTable = "_stream_versions"

// streamVersions are the last versions applied of some streams; a stream not in it has
// none applied.
type streamVersions map[string]int64

// checkContinuity refuses a batch in which a stream of scope does not continue exactly
// where the projection left it, and records where each such stream now ends.
func checkContinuity(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope, scope continuityScope) error {
	applied := streamVersions{}
	b := &pgx.Batch{}
	queueReadVersions(b, schema, batch, scope, applied)
	if b.Len() == 0 {
		return nil // no stream of the scope
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	if err := applied.check(batch, scope); err != nil {
		return err
	}
	b = &pgx.Batch{}
	queueRecordVersions(b, schema, batch, scope)
	return tx.SendBatch(ctx, b).Close()
}

// queueReadVersions queues the read of the last versions applied of the streams of
// scope that batch holds into into; it queues nothing when it holds none.
func queueReadVersions(b *pgx.Batch, schema string, batch []Envelope, scope continuityScope, into streamVersions) {
	streams := streamsOf(batch, scope)
	if len(streams) == 0 {
		return
	}
	b.Queue("SELECT stream, version FROM "+Qualified(schema, streamVersionsTable)+" WHERE stream = ANY($1)",
		streams).Query(func(rows pgx.Rows) error {
		var stream string
		var version int64
		_, err := pgx.ForEachRow(rows, []any{&stream, &version}, func() error { into[stream] = version; return nil })
		if err != nil {
			return fmt.Errorf("read stream versions: %w", err)
		}
		return nil
	})
}

// check refuses a batch in which a stream of scope does not continue exactly where v
// left it, or skips or repeats a version within the batch.
func (v streamVersions) check(batch []Envelope, scope continuityScope) error {
	last := make(map[string]int64, len(v))
	for i := range batch {
		e := &batch[i]
		if !scope.tracksEvent(e) {
			continue
		}
		prev, seen := last[e.Stream]
		if !seen {
			prev = v[e.Stream]
		}
		if e.Version != prev+1 {
			return gapError(e, prev)
		}
		last[e.Stream] = e.Version
	}
	return nil
}

// queueRecordVersions queues the record of where each stream of scope in batch now
// ends.
func queueRecordVersions(b *pgx.Batch, schema string, batch []Envelope, scope continuityScope) {
	last := map[string]int64{}
	for i := range batch {
		if scope.tracksEvent(&batch[i]) {
			last[batch[i].Stream] = batch[i].Version
		}
	}
	if len(last) == 0 {
		return
	}
	streams := make([]string, 0, len(last))
	versions := make([]int64, 0, len(last))
	for s, v := range last {
		streams, versions = append(streams, s), append(versions, v)
	}
	b.Queue("INSERT INTO "+Qualified(schema, streamVersionsTable)+` (stream, version) SELECT * FROM unnest($1::text[], $2::bigint[])
		ON CONFLICT (stream) DO UPDATE SET version = excluded.version`, streams, versions)
}

// streamsOf answers the streams of scope that events of batch belong to, each once.
func streamsOf(batch []Envelope, scope continuityScope) []string {
	seen := make(map[string]bool)
	var streams []string
	for i := range batch {
		if s := batch[i].Stream; !seen[s] && scope.tracksEvent(&batch[i]) {
			seen[s] = true
			streams = append(streams, s)
		}
	}
	return streams
}

func gapError(e *Envelope, prev int64) error {
	return &PoisonError{Stream: e.Stream, Version: e.Version, Position: e.Position,
		Err: fmt.Errorf("stream continues at version %d after %d: %w", e.Version, prev, ErrGap)}
}

// ErrGap marks an event that does not follow the last one applied of its stream.
var ErrGap = errors.New("gap in stream")
