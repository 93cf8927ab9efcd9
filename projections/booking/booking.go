package booking

import (
	"time"

	"accessledger/projections"
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Tables of the booking read model.
const (
	authTable       = "booking_authorizations"
	membersTable    = "booking_members"
	workspacesTable = "booking_workspaces"
	retiredTable    = "booking_retired"
)

// Booking is the read model of current booking authorizations: per (workspace, account,
// category) the visa, its end and who granted it, plus what decides whether the grant
// authorizes now: the member's roster entry, the booking module's configuration and the
// retired categories and visas.
type Booking struct{}

// Name implements Projection.
func (Booking) Name() string { return "booking" }

// BatchInterval implements projections.Paced: booking lists are read by people.
func (Booking) BatchInterval() time.Duration { return projections.BackgroundInterval }

// Version implements Projection.
func (Booking) Version() int { return 1 }

// Tables implements Projection.
func (Booking) Tables() []string {
	return []string{authTable, membersTable, workspacesTable, retiredTable}
}

// Setup implements Projection.
func (Booking) Setup(ctx context.Context, tx pgx.Tx, schema string) error {
	ddl := fmt.Sprintf(`
CREATE TABLE %[1]s (
    workspace_id uuid        NOT NULL,
    account_id   uuid        NOT NULL,
    category_id  uuid        NOT NULL,
    visa_id      uuid        NOT NULL,
    valid_until  timestamptz,
    granted_at   timestamptz NOT NULL,
    granted_by   text        NOT NULL,
    PRIMARY KEY (workspace_id, account_id, category_id)
);
CREATE INDEX ON %[1]s (workspace_id, category_id);
CREATE TABLE %[2]s (
    workspace_id uuid NOT NULL,
    account_id   uuid NOT NULL,
    status       text NOT NULL,
    role         text NOT NULL,
    PRIMARY KEY (workspace_id, account_id)
);
CREATE TABLE %[3]s (
    workspace_id uuid    PRIMARY KEY,
    enabled      boolean NOT NULL,
    min_role     text    NOT NULL
);
CREATE TABLE %[4]s (
    workspace_id uuid NOT NULL,
    item_id      uuid NOT NULL, -- a retired booking category or visa
    PRIMARY KEY (workspace_id, item_id)
);`, projections.Qualified(schema, authTable), projections.Qualified(schema, membersTable),
		projections.Qualified(schema, workspacesTable), projections.Qualified(schema, retiredTable))
	if _, err := tx.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create booking tables: %w", err)
	}
	return nil
}
