package activity

import (
	"accessledger/projections"
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Tables of the activity read model.
const (
	logTable     = "activity_log"
	catalogTable = "activity_catalog"
)

// Activity is the read model of a workspace's activity log: every event of the workspace
// stream and of its members' streams, in log order, with time, actor, the member it
// concerns, reason and a one-line summary. The stored summary is a template that names
// accounts only by placeholder ({member}, {other}), so that no personal data is copied
// into the log: names are rendered at query time from the members read model's accounts.
// The log is append-only; activity_catalog keeps the names of projects, categories, visas
// and clients (not personal data) that summaries mention.
type Activity struct{}

// Name implements Projection.
func (Activity) Name() string { return "activity" }

// BatchInterval implements projections.Paced: the activity log is read after the fact, by people.
func (Activity) BatchInterval() time.Duration { return projections.BackgroundInterval }

// Version implements Projection.
func (Activity) Version() int { return 1 }

// Tables implements Projection.
func (Activity) Tables() []string { return []string{logTable, catalogTable} }

// Setup implements Projection. position is the event's eventstore.Position in text,
// which sorts like the log (32 hex digits; collation C so that it sorts bytewise).
func (Activity) Setup(ctx context.Context, tx pgx.Tx, schema string) error {
	ddl := fmt.Sprintf(`
CREATE TABLE %[1]s (
    workspace_id uuid        NOT NULL,
    position     text        COLLATE "C" NOT NULL,
    event_id     uuid        NOT NULL,
    stream       text        NOT NULL,
    version      bigint      NOT NULL,
    event_type   text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    actor        text        NOT NULL,
    actor_id     uuid,
    account_id   uuid,
    other_id     uuid,
    reason       text        NOT NULL,
    summary      text        NOT NULL,
    PRIMARY KEY (workspace_id, position)
);
CREATE TABLE %[2]s (
    workspace_id uuid NOT NULL,
    item_id      uuid NOT NULL,
    name         text NOT NULL,
    PRIMARY KEY (workspace_id, item_id)
);`, projections.Qualified(schema, logTable), projections.Qualified(schema, catalogTable))
	if _, err := tx.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create activity tables: %w", err)
	}
	return nil
}

// QueryIndexes implements QueryIndexer: Apply only inserts into the log.
func (Activity) QueryIndexes(schema string) []string {
	log := projections.Qualified(schema, logTable)
	return []string{
		"CREATE INDEX ON " + log + " (workspace_id, account_id, position)",
		"CREATE INDEX ON " + log + " (workspace_id, actor, position)",
		"CREATE INDEX ON " + log + " (workspace_id, occurred_at)",
	}
}

// ActivityEntry is one event of the activity log.
type ActivityEntry struct {
	Position  string // the event's place in the global log (eventstore.Position text)
	EventID   uuid.UUID
	Stream    string
	Version   int64
	Type      string
	At        time.Time
	Actor     string // account id or "system"
	ActorName string // the actor's name, or Actor when it is no known account
	// AccountID is the member the event concerns; uuid.Nil for workspace configuration.
	AccountID  uuid.UUID
	MemberName string // the member's name; empty when AccountID is nil
	Reason     string
	Summary    string // e.g. "invited Ada Lovelace as member"; its subject is the actor
}
