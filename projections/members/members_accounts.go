package members

import (
	"accessledger/projections"
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// AccountWorkspaces answers the workspaces whose member list holds the account, in any
// status: where an admin may manage the account's profile.
func AccountWorkspaces(ctx context.Context, q projections.Querier, account uuid.UUID) (_ []uuid.UUID, err error) {
	defer projections.ReadFailed(&err)
	rows, err := q.Query(ctx, `SELECT workspace_id FROM `+projections.Qualified(projections.ReadSchema, MembersTable)+
		` WHERE account_id = $1 ORDER BY workspace_id`, account)
	if err != nil {
		return nil, fmt.Errorf("read the workspaces of %s: %w", account, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return nil, fmt.Errorf("read the workspaces of %s: %w", account, err)
	}
	return ids, nil
}
