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
	// eventsAfterSQL tells whether events follow a position that a reader can see, and
	// whether committed ones follow it at all (some may be hidden behind an older open
	// transaction).
	eventsAfterSQL = `SELECT
		EXISTS (SELECT 1 FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND ` + visible + `),
		EXISTS (SELECT 1 FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint))`
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
		var exists bool
		if err := s.pool.QueryRow(ctx, streamExistsSQL, stream).Scan(&exists); err != nil {
			return nil, fmt.Errorf("read stream %s: %w", stream, unavailable(err))
		}
		if !exists {
			return nil, fmt.Errorf("read stream %s: %w", stream, eventstore.ErrStreamNotFound)
		}
	}
	return events, nil
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
	var committed bool
	err = s.pool.QueryRow(ctx, eventsAfterSQL, tx, int64(pos)).Scan(&visible, &committed)
	return visible, committed && !visible, err
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

const countAfterSQL = `SELECT count(*) FROM (SELECT 1 FROM events
	WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND ` + visible + ` LIMIT $3) AS t`

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
