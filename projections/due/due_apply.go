package due

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
)

// dueOp is one change of the due table an event makes, in log order. Few events concern
// the due model (visa grants, invitations, deletions), so each is one queued statement
// rather than a fold: holding an invitation must see the rows written before it.
type dueOp struct {
	sql  string
	args []any
}

// Apply implements Projection.
func (Due) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	table := projections.Qualified(schema, dueTable)
	b := &pgx.Batch{}
	for i := range batch {
		for _, op := range dueOps(table, &batch[i]) {
			b.Queue(op.sql, op.args...)
		}
	}
	return projections.SendLast(ctx, tx, b, "write due work")
}

func dueOps(table string, env *projections.Envelope) []dueOp {
	if ws, ok := env.WorkspaceStream(); ok {
		return dueRosterOps(table, ws, env.Payload)
	}
	switch e := env.Payload.(type) {
	case domain.VisaGranted:
		if e.ValidUntil == nil {
			return []dueOp{dueRemove(table, e.WorkspaceID, e.AccountID, DueVisaExpiry, e.CategoryID)}
		}
		return []dueOp{dueUpsert(table, e.WorkspaceID, e.AccountID, DueVisaExpiry, e.CategoryID, *e.ValidUntil)}
	case domain.VisaRevoked:
		return []dueOp{dueRemove(table, e.WorkspaceID, e.AccountID, DueVisaExpiry, e.CategoryID)}
	case domain.VisaExpired:
		return []dueOp{dueRemove(table, e.WorkspaceID, e.AccountID, DueVisaExpiry, e.CategoryID)}
	case domain.GrantsCleared:
		return []dueOp{{sql: "DELETE FROM " + table + " WHERE workspace_id = $1 AND account_id = $2 AND kind = $3",
			args: []any{e.WorkspaceID, e.AccountID, DueVisaExpiry}}}
	}
	return nil
}

func dueRosterOps(table string, ws uuid.UUID, e domain.Event) []dueOp {
	invitation := func(a uuid.UUID) dueOp { return dueRemove(table, ws, a, DueInvitationExpiry, uuid.Nil) }
	switch e := e.(type) {
	case domain.MemberInvited:
		return []dueOp{dueUpsert(table, ws, e.AccountID, DueInvitationExpiry, uuid.Nil, e.ExpiresAt)}
	case domain.InvitationResent:
		return []dueOp{dueUpsert(table, ws, e.AccountID, DueInvitationExpiry, uuid.Nil, e.ExpiresAt)}
	case domain.InvitationAccepted:
		return []dueOp{invitation(e.AccountID)}
	case domain.InvitationRevoked:
		return []dueOp{invitation(e.AccountID)}
	case domain.InvitationExpired:
		return []dueOp{invitation(e.AccountID)}
	case domain.MemberDeleted:
		return []dueOp{dueHold(table, ws, e.AccountID, true),
			dueUpsert(table, ws, e.AccountID, DueMemberPurge, uuid.Nil, domain.PurgeDue(e.DeletedAt))}
	case domain.MemberRestored:
		return []dueOp{dueRemove(table, ws, e.AccountID, DueMemberPurge, uuid.Nil), dueHold(table, ws, e.AccountID, false)}
	case domain.MemberPurged:
		return []dueOp{dueRemove(table, ws, e.AccountID, DueMemberPurge, uuid.Nil), invitation(e.AccountID)}
	}
	return dueWorkspaceOps(table, ws, e)
}

// dueWorkspaceOps pause a deleted workspace's work and make its purge due, and undo
// that on a restore; a purge ends all of its work.
func dueWorkspaceOps(table string, ws uuid.UUID, e domain.Event) []dueOp {
	pause := func(paused bool) dueOp {
		return dueOp{sql: "UPDATE " + table + " SET paused = $2 WHERE workspace_id = $1", args: []any{ws, paused}}
	}
	switch e := e.(type) {
	case domain.WorkspaceDeleted:
		return []dueOp{pause(true), dueUpsert(table, ws, uuid.Nil, DueWorkspacePurge, uuid.Nil, domain.PurgeDue(e.DeletedAt))}
	case domain.WorkspaceRestored:
		return []dueOp{dueRemove(table, ws, uuid.Nil, DueWorkspacePurge, uuid.Nil), pause(false)}
	case domain.WorkspacePurged:
		return []dueOp{{sql: "DELETE FROM " + table + " WHERE workspace_id = $1", args: []any{ws}}}
	}
	return nil
}

func dueUpsert(table string, ws, account uuid.UUID, kind string, item uuid.UUID, at time.Time) dueOp {
	return dueOp{sql: "INSERT INTO " + table + ` (workspace_id, account_id, kind, item_id, due_at) VALUES ($1, $2, $3, $4, $5)
	ON CONFLICT (workspace_id, account_id, kind, item_id) DO UPDATE SET due_at = EXCLUDED.due_at, held = false, paused = false`,
		args: []any{ws, account, kind, item, at}}
}

func dueRemove(table string, ws, account uuid.UUID, kind string, item uuid.UUID) dueOp {
	return dueOp{sql: "DELETE FROM " + table + " WHERE workspace_id = $1 AND account_id = $2 AND kind = $3 AND item_id = $4",
		args: []any{ws, account, kind, item}}
}

// dueHold holds a deleted invitee's invitation, or lets it run again on a restore.
func dueHold(table string, ws, account uuid.UUID, held bool) dueOp {
	return dueOp{sql: "UPDATE " + table + " SET held = $4 WHERE workspace_id = $1 AND account_id = $2 AND kind = $3",
		args: []any{ws, account, DueInvitationExpiry, held}}
}
