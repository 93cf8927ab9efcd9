package clients

import (
	"time"

	"accessledger/projections"
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Tables of the clients read model.
const (
	linksTable = "clients_links"
	namesTable = "clients_names"
)

// ClientLinks is the read model of current client links: which member is linked to which
// client of the workspace, since when and by whom, with the clients' names.
type ClientLinks struct{}

// Name implements Projection.
func (ClientLinks) Name() string { return "clients" }

// BatchInterval implements projections.Paced: client links are read by people.
func (ClientLinks) BatchInterval() time.Duration { return projections.BackgroundInterval }

// Version implements Projection.
func (ClientLinks) Version() int { return 1 }

// Tables implements Projection.
func (ClientLinks) Tables() []string { return []string{linksTable, namesTable} }

// Setup implements Projection.
func (ClientLinks) Setup(ctx context.Context, tx pgx.Tx, schema string) error {
	ddl := fmt.Sprintf(`
CREATE TABLE %[1]s (
    workspace_id uuid        NOT NULL,
    account_id   uuid        NOT NULL,
    client_id    uuid        NOT NULL,
    linked_at    timestamptz NOT NULL,
    linked_by    text        NOT NULL,
    PRIMARY KEY (workspace_id, account_id, client_id)
);
CREATE INDEX ON %[1]s (workspace_id, client_id, account_id);
CREATE TABLE %[2]s (
    workspace_id uuid    NOT NULL,
    client_id    uuid    NOT NULL,
    name         text    NOT NULL,
    retired      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (workspace_id, client_id)
);`, projections.Qualified(schema, linksTable), projections.Qualified(schema, namesTable))
	if _, err := tx.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create clients tables: %w", err)
	}
	return nil
}
