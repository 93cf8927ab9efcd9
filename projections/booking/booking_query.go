package booking

import (
	"accessledger/projections"
	"accessledger/projections/roster"
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// BookingAuthorization is a member's current visa on a booking category.
type BookingAuthorization struct {
	WorkspaceID uuid.UUID
	AccountID   uuid.UUID
	CategoryID  uuid.UUID
	VisaID      uuid.UUID
	ValidUntil  *time.Time // nil: no end
	GrantedAt   time.Time
	GrantedBy   string // account id or "system"
}

const columns = "a.workspace_id, a.account_id, a.category_id, a.visa_id, a.valid_until, a.granted_at, a.granted_by"

// ListBookingAuthorizations answers every visa the member holds in the workspace, by
// category id, whether or not it authorizes booking right now (expired but not yet
// expired by an event, retired, member inactive): it is the member's grant list.
func ListBookingAuthorizations(ctx context.Context, q projections.Querier, ws, account uuid.UUID) (_ []BookingAuthorization, err error) {
	defer projections.ReadFailed(&err)
	rows, err := q.Query(ctx, "SELECT "+columns+" FROM "+projections.Qualified(projections.ReadSchema, authTable)+
		" a WHERE a.workspace_id = $1 AND a.account_id = $2 ORDER BY a.category_id", [16]byte(ws), [16]byte(account))
	if err != nil {
		return nil, fmt.Errorf("list booking authorizations: %w", err)
	}
	return scan(rows)
}

// AuthorizedForCategory answers the members who may book the category at now, by account
// id: active on the roster, holding a visa on the category still valid at now, with the
// booking module enabled for their role, and neither the category nor the visa retired.
func AuthorizedForCategory(ctx context.Context, q projections.Querier, ws, category uuid.UUID, now time.Time) (_ []BookingAuthorization, err error) {
	defer projections.ReadFailed(&err)
	sql := "SELECT " + columns + " FROM " + projections.Qualified(projections.ReadSchema, authTable) + " a" +
		" JOIN " + projections.Qualified(projections.ReadSchema, membersTable) + " m ON m.workspace_id = a.workspace_id AND m.account_id = a.account_id" +
		" JOIN " + projections.Qualified(projections.ReadSchema, workspacesTable) + " w ON w.workspace_id = a.workspace_id" +
		` WHERE a.workspace_id = $1 AND a.category_id = $2 AND (a.valid_until IS NULL OR a.valid_until > $3)
		  AND m.status = 'active' AND w.enabled AND ` + roster.RoleRankSQL("m.role") + " >= " + roster.RoleRankSQL("w.min_role") +
		" AND NOT EXISTS (SELECT 1 FROM " + projections.Qualified(projections.ReadSchema, retiredTable) + ` r
		      WHERE r.workspace_id = a.workspace_id AND r.item_id IN (a.category_id, a.visa_id))
		ORDER BY a.account_id`
	rows, err := q.Query(ctx, sql, [16]byte(ws), [16]byte(category), now)
	if err != nil {
		return nil, fmt.Errorf("list members authorized for category: %w", err)
	}
	return scan(rows)
}

func scan(rows pgx.Rows) ([]BookingAuthorization, error) {
	out := []BookingAuthorization{}
	var a BookingAuthorization
	_, err := pgx.ForEachRow(rows, []any{&a.WorkspaceID, &a.AccountID, &a.CategoryID, &a.VisaID, &a.ValidUntil, &a.GrantedAt, &a.GrantedBy},
		func() error {
			a.GrantedAt = a.GrantedAt.UTC()
			if a.ValidUntil != nil {
				u := a.ValidUntil.UTC()
				a.ValidUntil = &u
			}
			out = append(out, a)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read booking authorizations: %w", err)
	}
	return out, nil
}
