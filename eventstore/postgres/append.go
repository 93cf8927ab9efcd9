package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"accessledger/eventstore"
	"accessledger/internal/pgsql"
)

// anyRaceBackoff paces the retries of an append with expected version Any that lost the
// race for the next version to another append: short, jittered waits so that contenders
// spread out, bounded so that a stream under a storm fails instead of hanging.
func anyRaceBackoff() backoff.BackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = time.Millisecond
	b.MaxInterval = 50 * time.Millisecond
	b.MaxElapsedTime = 10 * time.Second
	return b
}

// querier is what an append needs of a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Append implements eventstore.Appender.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	prepared, err := eventstore.PrepareAppend(stream, expected, events, s.opts.Now())
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append %s: %w", stream, err)
	}
	res, err := s.appendAndCache(ctx, stream, expected, prepared)
	if errors.Is(err, eventstore.ErrVersionConflict) && expected.IsAny() {
		// Another append won the next version; go again on top of it.
		res, err = backoff.RetryWithData(func() (eventstore.AppendResult, error) {
			res, err := s.appendAndCache(ctx, stream, expected, prepared)
			if err != nil && !errors.Is(err, eventstore.ErrVersionConflict) {
				return res, backoff.Permanent(err)
			}
			return res, err
		}, backoff.WithContext(anyRaceBackoff(), ctx))
	}
	if err != nil {
		return res, fmt.Errorf("append %s: %w", stream, unavailable(err))
	}
	return res, nil
}

// appendAndCache makes one attempt and keeps the stream head it leaves in the cache.
func (s *Store) appendAndCache(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, error) {
	res, head, err := s.appendOnce(ctx, s.pool, stream, expected, events)
	if err != nil {
		s.heads.Remove(stream) // whatever went wrong, the cached head may be stale
		return res, err
	}
	if head.version > 0 { // zero for a retry answered from storage: head unknown
		s.heads.Add(stream, head)
	}
	s.appended()
	return res, nil
}

// appendOnce makes one attempt: find the head to append after, seal the events onto it
// and insert them in one statement. It answers the new head for the cache.
func (s *Store) appendOnce(ctx context.Context, q querier, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, streamHead, error) {
	head, found, err := s.headFor(ctx, q, stream, expected)
	if err != nil {
		return eventstore.AppendResult{}, streamHead{}, err
	}
	if !found {
		return s.conflictOrRetry(ctx, q, stream, expected, events)
	}
	sealed := eventstore.Seal(stream, head.version, head.hash, events)
	res, err := insert(ctx, q, sealed)
	if isUniqueViolation(err) {
		return s.conflictOrRetry(ctx, q, stream, expected, events)
	}
	if err != nil {
		return res, streamHead{}, err
	}
	last := sealed[len(sealed)-1]
	return res, streamHead{version: last.Version, hash: last.Hash}, nil
}

// headFor answers the event to append after, or found=false when the stream is not at
// the expected version. A cached head saves the read when it is the one expected.
func (s *Store) headFor(ctx context.Context, q querier, stream string, expected eventstore.ExpectedVersion) (streamHead, bool, error) {
	want, exact := expected.Version()
	cached, ok := s.heads.Get(stream)
	switch {
	case exact && want == 0:
		return streamHead{}, !ok, nil
	case ok && (!exact || cached.version == want):
		return cached, true, nil
	case ok && cached.version > want:
		return streamHead{}, false, nil // versions only grow: the stream moved past want
	}
	var h streamHead
	var hash []byte
	var err error
	if exact {
		err = q.QueryRow(ctx, `SELECT stream_version, hash FROM events
			WHERE stream = $1 AND stream_version = $2`, stream, want).Scan(&h.version, &hash)
	} else {
		err = q.QueryRow(ctx, `SELECT stream_version, hash FROM events
			WHERE stream = $1 ORDER BY stream_version DESC LIMIT 1`, stream).Scan(&h.version, &hash)
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return streamHead{}, !exact, nil // Any on a new stream appends at version 1
	case err != nil:
		return streamHead{}, false, fmt.Errorf("read head: %w", err)
	}
	h.hash, err = eventstore.HashFromBytes(hash)
	return h, err == nil, err
}

// conflictOrRetry explains why events could not be appended: either they are already
// stored (a retry, answered with the first result) or the stream is at another version.
func (s *Store) conflictOrRetry(ctx context.Context, q querier, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, streamHead, error) {
	res, stored, err := findStored(ctx, q, stream, events)
	if err != nil || stored {
		return res, streamHead{}, err
	}
	var actual int64
	err = q.QueryRow(ctx, `SELECT coalesce(max(stream_version), 0) FROM events WHERE stream = $1`, stream).Scan(&actual)
	if err != nil {
		return res, streamHead{}, fmt.Errorf("read version: %w", err)
	}
	return res, streamHead{}, &eventstore.VersionConflictError{Stream: stream, Expected: expected, Actual: actual}
}

// findStored answers the first result of an earlier append of the same events, if
// there was one.
func findStored(ctx context.Context, q querier, stream string, events []eventstore.EventData) (eventstore.AppendResult, bool, error) {
	ids := make([][16]byte, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	rows, err := q.Query(ctx, `SELECT event_id, stream, stream_version, transaction_id, position
		FROM events WHERE event_id = ANY($1) ORDER BY stream_version`, ids)
	if err != nil {
		return eventstore.AppendResult{}, false, fmt.Errorf("look up event ids: %w", err)
	}
	type stored struct {
		id      [16]byte
		stream  string
		version int64
		tx      uint64
		pos     int64
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (stored, error) {
		var st stored
		return st, r.Scan(&st.id, &st.stream, &st.version, &st.tx, &st.pos)
	})
	if err != nil || len(found) == 0 {
		return eventstore.AppendResult{}, false, err
	}
	for i, f := range found {
		if len(found) != len(events) || f.stream != stream || f.id != events[i].ID || f.version != found[0].version+int64(i) {
			return eventstore.AppendResult{}, false, fmt.Errorf("%w: event %s", eventstore.ErrDuplicateEvent, uuid.UUID(f.id))
		}
	}
	last := found[len(found)-1]
	return eventstore.AppendResult{
		FirstVersion: found[0].version, LastVersion: last.version,
		Position: eventstore.NewPosition(last.tx, uint64(last.pos)),
	}, true, nil
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == uniqueViolation
}

// insertColumns are the columns insert writes per event; the store fills in position,
// transaction_id and recorded_at.
const insertColumns = `event_id, stream, stream_version, event_type, schema_version, data,
	command_id, correlation_id, causation_id, actor, reason, occurred_at, prev_hash, hash`

const insertArity = 14

// insertSQL answers the INSERT of n events, one statement so that it is atomic and is
// the first (and only) write of its transaction.
func insertSQL(n int) string {
	return "INSERT INTO events (" + insertColumns + ") VALUES " + pgsql.Values(n, insertArity) +
		" RETURNING event_id, transaction_id, position"
}

var insertOneSQL = insertSQL(1)

// insert writes sealed events in one statement and answers the result of the append;
// the events must be one stream's.
func insert(ctx context.Context, q querier, events []eventstore.Event) (eventstore.AppendResult, error) {
	positions, err := insertRows(ctx, q, events)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	return eventstore.AppendResult{
		FirstVersion: events[0].Version,
		LastVersion:  events[len(events)-1].Version,
		Position:     positions[len(positions)-1],
	}, nil
}

// insertRows writes sealed events in one statement and answers each one's position.
func insertRows(ctx context.Context, q querier, events []eventstore.Event) ([]eventstore.Position, error) {
	sql := insertOneSQL
	if len(events) > 1 {
		sql = insertSQL(len(events))
	}
	args := make([]any, 0, len(events)*insertArity)
	for i := range events {
		e := &events[i]
		m := &e.Metadata
		args = append(args, [16]byte(e.ID), e.Stream, e.Version, e.Type, e.SchemaVersion, []byte(e.Data),
			nullUUID(m.CommandID), nullUUID(m.CorrelationID), nullUUID(m.CausationID),
			m.Actor, m.Reason, m.OccurredAt, e.PrevHash[:], e.Hash[:])
	}
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	// RETURNING promises no order: each row is placed by its event id.
	index := make(map[[16]byte]int, len(events))
	for i := range events {
		index[events[i].ID] = i
	}
	positions := make([]eventstore.Position, len(events))
	var id [16]byte
	var tx uint64
	var pos int64
	n, err := pgx.ForEachRow(rows, []any{&id, &tx, &pos}, func() error {
		i, ok := index[id]
		if !ok {
			return fmt.Errorf("the insert answered event %s, which it was not given", uuid.UUID(id))
		}
		positions[i] = eventstore.NewPosition(tx, uint64(pos))
		return nil
	})
	if err == nil && n.RowsAffected() != int64(len(events)) {
		err = fmt.Errorf("the insert of %d events answered %d rows", len(events), n.RowsAffected())
	}
	return positions, err
}

// nullUUID stores the nil UUID as NULL.
func nullUUID(id uuid.UUID) any {
	if id == uuid.Nil {
		return nil
	}
	return [16]byte(id)
}

// uniqueViolation is SQLSTATE 23505.
const uniqueViolation = "23505"
