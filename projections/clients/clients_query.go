package clients

import (
	"accessledger/projections"
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ClientLink is a member's current link to a client of the workspace.
type ClientLink struct {
	WorkspaceID   uuid.UUID
	AccountID     uuid.UUID
	ClientID      uuid.UUID
	ClientName    string // empty if the client is unknown to the read model
	ClientRetired bool   // the client takes no new links; existing ones stay
	LinkedAt      time.Time
	LinkedBy      string // account id or "system"
}

const selectLinks = `SELECT l.workspace_id, l.account_id, l.client_id, coalesce(n.name, ''), coalesce(n.retired, false),
	l.linked_at, l.linked_by FROM `

// ListClientLinks answers the clients the member is linked to in the workspace, by client
// name then id.
func ListClientLinks(ctx context.Context, q projections.Querier, ws, account uuid.UUID) (_ []ClientLink, err error) {
	defer projections.ReadFailed(&err)
	rows, err := q.Query(ctx, selectLinks+from()+
		" WHERE l.workspace_id = $1 AND l.account_id = $2 ORDER BY n.name, l.client_id", [16]byte(ws), [16]byte(account))
	if err != nil {
		return nil, fmt.Errorf("list client links: %w", err)
	}
	return scan(rows)
}

// MembersOfClient answers the members linked to the client in the workspace, by account
// id. It does not look at the roster: a deactivated member keeps its (frozen) links.
func MembersOfClient(ctx context.Context, q projections.Querier, ws, client uuid.UUID) (_ []ClientLink, err error) {
	defer projections.ReadFailed(&err)
	rows, err := q.Query(ctx, selectLinks+from()+
		" WHERE l.workspace_id = $1 AND l.client_id = $2 ORDER BY l.account_id", [16]byte(ws), [16]byte(client))
	if err != nil {
		return nil, fmt.Errorf("list members of client: %w", err)
	}
	return scan(rows)
}

func from() string {
	return projections.Qualified(projections.ReadSchema, linksTable) + " l LEFT JOIN " + projections.Qualified(projections.ReadSchema, namesTable) +
		" n ON n.workspace_id = l.workspace_id AND n.client_id = l.client_id"
}

func scan(rows pgx.Rows) ([]ClientLink, error) {
	out := []ClientLink{}
	var l ClientLink
	_, err := pgx.ForEachRow(rows, []any{&l.WorkspaceID, &l.AccountID, &l.ClientID, &l.ClientName, &l.ClientRetired, &l.LinkedAt, &l.LinkedBy},
		func() error {
			l.LinkedAt = l.LinkedAt.UTC()
			out = append(out, l)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read client links: %w", err)
	}
	return out, nil
}
