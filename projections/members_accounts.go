package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Account is an account's profile, as the member list shows it.
type Account struct {
	AccountID                                uuid.UUID
	Email, Login, FirstName, LastName, Phone string
}

// GetAccount answers the profile of an account that is or was a member of a workspace,
// and whether there is one.
func GetAccount(ctx context.Context, q Querier, account uuid.UUID) (Account, bool, error) {
	a := Account{AccountID: account}
	err := q.QueryRow(ctx, `SELECT email, login, first_name, last_name, phone FROM `+qualified(ReadSchema, membersAccountsTable)+
		` WHERE account_id = $1`, account).Scan(&a.Email, &a.Login, &a.FirstName, &a.LastName, &a.Phone)
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, false, nil
	}
	if err != nil {
		return Account{}, false, fmt.Errorf("read account %s: %w", account, err)
	}
	return a, true, nil
}

// AccountWorkspaces answers the workspaces whose member list holds the account, in any
// status: where an admin may manage the account's profile.
func AccountWorkspaces(ctx context.Context, q Querier, account uuid.UUID) ([]uuid.UUID, error) {
	rows, err := q.Query(ctx, `SELECT workspace_id FROM `+qualified(ReadSchema, membersMembersTable)+
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
