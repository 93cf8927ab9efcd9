package history

import (
	"time"

	"accessledger/projections"
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Tables of the history read model.
const (
	// factsTable is a temporal table of member facts: one row per fact and validity
	// interval [valid_from, valid_to), valid_to NULL while current. A visa's valid_until
	// also ends its interval: ends_at = least(valid_to, valid_until) is the effective end.
	factsTable = "history_facts"
	// workspaceFactsTable holds the workspace facts that decide what grants allow
	// at a time: modules enabled (value = minimum role), and projects, booking categories,
	// visas and clients while defined and not archived or retired (value = name).
	workspaceFactsTable = "history_workspace_facts"
	// changesTable lists every change of a member fact, in order, for
	// MemberHistory: before and after values with actor, reason and time.
	changesTable = "history_changes"
)

// Kinds of member facts (history_facts.kind and history_changes.kind).
const (
	HistoryKindStatus   = "status"   // value: the member status
	HistoryKindLicense  = "license"  // value "held" while the status holds a seat
	HistoryKindRole     = "role"     // value: the workspace role (none while pending)
	HistoryKindProject  = "project"  // key: project id, value: project role
	HistoryKindVisa     = "visa"     // key: category id, value: visa id, with valid_until
	HistoryKindClient   = "client"   // key: client id, value "linked"
	HistoryKindFeature  = "feature"  // key: feature key, value grant or deny
	HistoryKindScope    = "scope"    // key: scope, value read or write
	HistoryKindSecurity = "security" // value: the security settings as JSON
	HistoryKindContract = "contract" // key: reference, ends_on or convention; value: its text
)

// Kinds of workspace facts (history_workspace_facts.kind).
const (
	wsModule   = "module"
	wsProject  = "project"
	wsCategory = "category"
	wsVisa     = "visa"
	wsClient   = "client"
)

// kinds lists the member fact kinds, for validating filters.
var kinds = []string{HistoryKindStatus, HistoryKindLicense, HistoryKindRole, HistoryKindProject,
	HistoryKindVisa, HistoryKindClient, HistoryKindFeature, HistoryKindScope, HistoryKindSecurity, HistoryKindContract}

// History is the authorization history of every member, for auditors: every change to
// what a member may do (roster status, license seat, workspace role, project roles, visas,
// client links, feature overrides, scopes, security settings) and to its contract and
// convention information, with actor, reason, time, before and after, stored as validity
// intervals; and the workspace facts needed to answer booking questions at a time.
type History struct{}

// Name implements Projection.
func (History) Name() string { return "history" }

// BatchInterval implements projections.Paced: histories are read by auditors, after the fact.
func (History) BatchInterval() time.Duration { return projections.BackgroundInterval }

// Version implements Projection. 2: contract information.
func (History) Version() int { return 2 }

// Tables implements Projection.
func (History) Tables() []string {
	return []string{factsTable, workspaceFactsTable, changesTable}
}

// Setup implements Projection.
func (History) Setup(ctx context.Context, tx pgx.Tx, schema string) error {
	ddl := fmt.Sprintf(`
CREATE TABLE %[1]s (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid        NOT NULL,
    account_id   uuid        NOT NULL,
    kind         text        NOT NULL,
    key          text        NOT NULL,
    value        text        NOT NULL,
    valid_until  timestamptz,
    valid_from   timestamptz NOT NULL,
    valid_to     timestamptz,
    ends_at      timestamptz GENERATED ALWAYS AS (least(valid_to, valid_until)) STORED,
    set_by       text        NOT NULL,
    set_reason   text        NOT NULL,
    set_event    uuid        NOT NULL,
    ended_by     text,
    ended_reason text,
    ended_event  uuid
);
CREATE INDEX ON %[1]s (workspace_id, account_id, kind, key, valid_from);
CREATE TABLE %[2]s (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid        NOT NULL,
    kind         text        NOT NULL,
    key          text        NOT NULL,
    value        text        NOT NULL,
    valid_from   timestamptz NOT NULL,
    valid_to     timestamptz,
    set_by       text        NOT NULL,
    set_reason   text        NOT NULL,
    set_event    uuid        NOT NULL,
    ended_by     text,
    ended_reason text,
    ended_event  uuid
);
CREATE INDEX ON %[2]s (workspace_id, kind, key, valid_from);
CREATE TABLE %[3]s (
    workspace_id uuid        NOT NULL,
    account_id   uuid        NOT NULL,
    seq          bigint      NOT NULL, -- the member's changes in log order, from 1
    occurred_at  timestamptz NOT NULL,
    kind         text        NOT NULL,
    key          text        NOT NULL,
    before       text,
    after        text,
    valid_until  timestamptz, -- of the visa after the change
    actor        text        NOT NULL,
    reason       text        NOT NULL,
    event_id     uuid        NOT NULL,
    event_type   text        NOT NULL,
    PRIMARY KEY (workspace_id, account_id, seq)
);`,
		projections.Qualified(schema, factsTable), projections.Qualified(schema, workspaceFactsTable), projections.Qualified(schema, changesTable))
	if _, err := tx.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create history tables: %w", err)
	}
	return nil
}

// QueryIndexes implements QueryIndexer: "who could book category C at T" reads member
// facts by workspace and key; Apply reads them by member.
func (History) QueryIndexes(schema string) []string {
	return []string{"CREATE INDEX ON " + projections.Qualified(schema, factsTable) + " (workspace_id, kind, key, valid_from)"}
}
