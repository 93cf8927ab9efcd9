package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Event logs a database's read models can follow, as BindEventLog names them.
const (
	EventLogPostgres  = "postgres"
	EventLogKurrentDB = "kurrentdb"
)

// ErrOtherEventLog is BindEventLog's refusal: the database follows another event log.
var ErrOtherEventLog = errors.New("the database follows another event log")

// BindEventLog records, the first time a process starts on the database, which event
// log (EventLogPostgres or EventLogKurrentDB) its read models and checkpoints follow,
// and refuses any other log after that with ErrOtherEventLog: a checkpoint is a position
// in one log and means nothing in another, so following a second log would skip or
// misread its events.
func BindEventLog(ctx context.Context, pool *pgxpool.Pool, kind string) error {
	bound, err := bindEventLog(ctx, pool, kind)
	if errors.Is(err, pgx.ErrNoRows) {
		// Another process bound it after this statement's snapshot was taken: the row is
		// visible to the next statement.
		bound, err = bindEventLog(ctx, pool, kind)
	}
	if err != nil {
		return fmt.Errorf("bind the event log: %w", err)
	}
	if bound != kind {
		return fmt.Errorf("%w: its read models follow the events in %s, not in %s", ErrOtherEventLog, logName(bound), logName(kind))
	}
	return nil
}

// bindEventLog binds the database to kind unless it is bound, and answers the kind it is
// bound to.
func bindEventLog(ctx context.Context, pool *pgxpool.Pool, kind string) (string, error) {
	var bound string
	err := pool.QueryRow(ctx, `WITH bind AS (
		INSERT INTO event_log (kind) VALUES ($1) ON CONFLICT (singleton) DO NOTHING RETURNING kind)
		SELECT kind FROM bind UNION ALL SELECT kind FROM event_log LIMIT 1`, kind).Scan(&bound)
	return bound, err
}

func logName(kind string) string {
	if kind == EventLogKurrentDB {
		return "KurrentDB"
	}
	return "PostgreSQL"
}
