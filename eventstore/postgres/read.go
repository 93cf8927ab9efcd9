package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"accessledger/eventstore"
)

// eventColumns are the columns scanEvent reads, in its order.
const eventColumns = `transaction_id, position, event_id, stream, stream_version, event_type,
	schema_version, data, command_id, correlation_id, causation_id, actor, reason,
	occurred_at, recorded_at, prev_hash, hash`

// visible is the condition that hides rows a reader must not pass yet: those of
// transactions at or above the oldest one still running, which may commit later than
// rows already visible after them.
const visible = `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`

// The position comparison is a row comparison so that the planner walks the primary key
// from the resume point; an OR of the two parts makes it filter the whole index.
const (
	readAllSQL = `SELECT ` + eventColumns + ` FROM events
		WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND ` + visible + `
		ORDER BY transaction_id, position LIMIT $3`
	// firstAfterSQL answers whether the first committed event after a position is one a
	// reader can see. Asking for the first row in primary-key order, rather than EXISTS,
	// keeps every plan on the index: under a generic plan the planner cannot tell how
	// many rows follow $1 and costs an EXISTS as a sequential scan that stops early,
	// which in fact reads the whole log. The first row decides both questions, since it
	// has the lowest transaction id of the rows after the position.
	firstAfterSQL = `SELECT ` + visible + ` FROM events
		WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
		ORDER BY transaction_id, position LIMIT 1`
	headSQL = `SELECT transaction_id, position FROM events WHERE ` + visible + `
		ORDER BY transaction_id DESC, position DESC LIMIT 1`
	readForwardSQL = `SELECT ` + eventColumns + ` FROM events
		WHERE stream = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`
	readBackwardSQL = `SELECT ` + eventColumns + ` FROM events
		WHERE stream = $1 AND stream_version <= $2 ORDER BY stream_version DESC LIMIT $3`
	streamExistsSQL = `SELECT EXISTS (SELECT 1 FROM events WHERE stream = $1)`
)

// ReadStream implements eventstore.StreamReader.
func (s *Store) ReadStream(ctx context.Context, stream string, opts eventstore.ReadStreamOptions) ([]eventstore.Event, error) {
	opts, err := eventstore.PrepareReadStream(stream, opts)
	if err != nil {
		return nil, err
	}
	limit := opts.Limit
	query, from := readForwardSQL, opts.From
	if opts.Direction == eventstore.Backward {
		query = readBackwardSQL
		if from == 0 {
			from = 1<<63 - 1
		}
	}
	events, err := s.query(ctx, query, stream, from, limit)
	if err != nil {
		return nil, fmt.Errorf("read stream %s: %w", stream, unavailable(err))
	}
	if len(events) == 0 {
		exists, err := s.existsPast(ctx, stream, opts)
		if err != nil {
			return nil, fmt.Errorf("read stream %s: %w", stream, unavailable(err))
		}
		if !exists {
			return nil, fmt.Errorf("read stream %s: %w", stream, eventstore.ErrStreamNotFound)
		}
	}
	if opts.Direction != eventstore.Backward && len(events) > 0 && len(events) < limit {
		s.rememberHead(stream, events[len(events)-1])
	}
	return events, nil
}

// rememberHead keeps the last event of a read that reached the end of its stream as the
// stream's head, so that the append that usually follows (load, decide, append) needs
// no read of its own. A head this process already knows to be later is kept.
func (s *Store) rememberHead(stream string, last eventstore.Event) {
	if known, ok := s.heads.Peek(stream); ok && known.version >= last.Version {
		return
	}
	s.heads.Add(stream, streamHead{version: last.Version, hash: last.Hash})
}

// existsPast answers, for a read of stream that found nothing, whether the stream
// exists all the same (the read started past its end). A read that covered version 1
// found nothing only because there is no stream, and a stream whose head this store
// remembers exists: neither costs a query, so that reading the tail of a stream that
// did not move, or a stream about to be created, is one statement.
func (s *Store) existsPast(ctx context.Context, stream string, opts eventstore.ReadStreamOptions) (exists bool, err error) {
	if opts.Direction == eventstore.Backward || opts.From <= 1 {
		return false, nil
	}
	if s.heads.Contains(stream) {
		return true, nil
	}
	err = s.pool.QueryRow(ctx, streamExistsSQL, stream).Scan(&exists)
	return exists, err
}

// ReadAll implements eventstore.LogReader.
func (s *Store) ReadAll(ctx context.Context, after eventstore.Position, limit int) ([]eventstore.Event, error) {
	limit, err := eventstore.ReadLimit(limit)
	if err != nil {
		return nil, err
	}
	tx, pos := after.Parts()
	events, err := s.query(ctx, readAllSQL, tx, int64(pos), limit)
	if err != nil {
		return nil, fmt.Errorf("read all after %s: %w", after, unavailable(err))
	}
	return events, nil
}

// Head implements eventstore.LogReader.
func (s *Store) Head(ctx context.Context) (eventstore.Position, error) {
	var tx uint64
	var pos int64
	err := s.pool.QueryRow(ctx, headSQL).Scan(&tx, &pos)
	if errors.Is(err, pgx.ErrNoRows) {
		return eventstore.Position{}, nil
	}
	if err != nil {
		return eventstore.Position{}, fmt.Errorf("read head: %w", unavailable(err))
	}
	return eventstore.NewPosition(tx, uint64(pos)), nil
}

// eventsAfter answers whether events a reader can see follow after, and whether
// committed ones follow it that are still hidden.
func (s *Store) eventsAfter(ctx context.Context, after eventstore.Position) (visible, hidden bool, err error) {
	tx, pos := after.Parts()
	err = s.pool.QueryRow(ctx, firstAfterSQL, tx, int64(pos)).Scan(&visible)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	}
	return visible, !visible, err
}

func (s *Store) query(ctx context.Context, sql string, args ...any) ([]eventstore.Event, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var events []eventstore.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, rows.Err()
}

// scanEvent reads one row of eventColumns.
func scanEvent(row pgx.Row) (eventstore.Event, error) {
	var (
		e                    eventstore.Event
		tx                   uint64
		pos                  int64
		id, cmd, corr, cause pgtype.UUID
		prevHash, hash, data []byte
	)
	err := row.Scan(&tx, &pos, &id, &e.Stream, &e.Version, &e.Type, &e.SchemaVersion, &data,
		&cmd, &corr, &cause, &e.Metadata.Actor, &e.Metadata.Reason,
		&e.Metadata.OccurredAt, &e.RecordedAt, &prevHash, &hash)
	if err != nil {
		return e, fmt.Errorf("scan event: %w", err)
	}
	e.Position = eventstore.NewPosition(tx, uint64(pos))
	e.ID, e.Metadata.CommandID = id.Bytes, cmd.Bytes
	e.Metadata.CorrelationID, e.Metadata.CausationID = corr.Bytes, cause.Bytes
	e.Metadata.OccurredAt = e.Metadata.OccurredAt.UTC()
	e.Data = data
	// A stored hash of the wrong length reads as the zero hash instead of failing the
	// read, so that Verify reports that event as broken rather than stopping.
	e.PrevHash, _ = eventstore.HashFromBytes(prevHash)
	e.Hash, _ = eventstore.HashFromBytes(hash)
	return e, nil
}

// countAfterSQL orders its rows only so that every plan walks the primary key from the
// position: without an order, a generic plan may scan the whole log for the limit.
const countAfterSQL = `SELECT count(*) FROM (SELECT 1 FROM events
	WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND ` + visible + `
	ORDER BY transaction_id, position LIMIT $3) AS t`

// CountAfter answers how many events of the global log a reader can see after position
// after, counting at most limit of them: the lag of a projection at after. It walks the
// primary key, so its cost grows with the answer, which limit bounds.
func (s *Store) CountAfter(ctx context.Context, after eventstore.Position, limit int64) (int64, error) {
	tx, pos := after.Parts()
	var n int64
	if err := s.pool.QueryRow(ctx, countAfterSQL, tx, int64(pos), limit).Scan(&n); err != nil {
		return 0, fmt.Errorf("count events after %s: %w", after, err)
	}
	return n, nil
}
