package due

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
)

// op is one change of the due table an event makes, in log order. Few events concern
// the due model (visa grants, invitations, deletions), so each is one queued statement
// rather than a fold: holding an invitation must see the rows written before it. A run
// of upserts with nothing between them (a burst of invitations) is one statement.
type op struct {
	sql  string
	args []any
	due  *dueRow // set for an upsert
}

// dueRow is the row an upsert writes.
type dueRow struct {
	ws, account uuid.UUID
	kind        string
	item        uuid.UUID
	at          time.Time
}

// Apply implements Projection.
func (Due) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	table := projections.Qualified(schema, table)
	b := &pgx.Batch{}
	var run []dueRow
	for i := range batch {
		for _, op := range ops(table, &batch[i]) {
			if op.due != nil {
				run = append(run, *op.due)
				continue
			}
			queueUpserts(b, table, run)
			run = run[:0]
			b.Queue(op.sql, op.args...)
		}
	}
	queueUpserts(b, table, run)
	return projections.SendLast(ctx, tx, b, "write due work")
}

// queueUpserts queues the upserts of a run in one statement; of two rows with one key,
// the later is written, as the second statement would have left it.
func queueUpserts(b *pgx.Batch, table string, run []dueRow) {
	if len(run) == 0 {
		return
	}
	type key struct {
		ws, account uuid.UUID
		kind        string
		item        uuid.UUID
	}
	last := make(map[key]int, len(run))
	for i, r := range run {
		last[key{r.ws, r.account, r.kind, r.item}] = i
	}
	var ws, accounts, items []uuid.UUID
	var kinds []string
	var at []time.Time
	for i, r := range run {
		if last[key{r.ws, r.account, r.kind, r.item}] != i {
			continue
		}
		ws, accounts, kinds, items, at = append(ws, r.ws), append(accounts, r.account), append(kinds, r.kind), append(items, r.item), append(at, r.at)
	}
	b.Queue("INSERT INTO "+table+` (workspace_id, account_id, kind, item_id, due_at)
	SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[])
	ON CONFLICT (workspace_id, account_id, kind, item_id) DO UPDATE SET due_at = EXCLUDED.due_at, held = false, paused = false`,
		ws, accounts, kinds, items, at)
}

func ops(table string, env *projections.Envelope) []op {
	if ws, ok := env.WorkspaceStream(); ok {
		return rosterOps(table, ws, env.Payload)
	}
	switch e := env.Payload.(type) {
	case domain.VisaGranted:
		if e.ValidUntil == nil {
			return []op{remove(table, e.WorkspaceID, e.AccountID, DueVisaExpiry, e.CategoryID)}
		}
		return []op{upsert(e.WorkspaceID, e.AccountID, DueVisaExpiry, e.CategoryID, *e.ValidUntil)}
	case domain.VisaRevoked:
		return []op{remove(table, e.WorkspaceID, e.AccountID, DueVisaExpiry, e.CategoryID)}
	case domain.VisaExpired:
		return []op{remove(table, e.WorkspaceID, e.AccountID, DueVisaExpiry, e.CategoryID)}
	case domain.GrantsCleared:
		return []op{{sql: "DELETE FROM " + table + " WHERE workspace_id = $1 AND account_id = $2 AND kind = $3",
			args: []any{e.WorkspaceID, e.AccountID, DueVisaExpiry}}}
	}
	return nil
}

func rosterOps(table string, ws uuid.UUID, e domain.Event) []op {
	invitation := func(a uuid.UUID) op { return remove(table, ws, a, DueInvitationExpiry, uuid.Nil) }
	switch e := e.(type) {
	case domain.MemberInvited:
		return []op{upsert(ws, e.AccountID, DueInvitationExpiry, uuid.Nil, e.ExpiresAt)}
	case domain.InvitationResent:
		return []op{upsert(ws, e.AccountID, DueInvitationExpiry, uuid.Nil, e.ExpiresAt)}
	case domain.InvitationAccepted:
		return []op{invitation(e.AccountID)}
	case domain.InvitationRevoked:
		return []op{invitation(e.AccountID)}
	case domain.InvitationExpired:
		return []op{invitation(e.AccountID)}
	case domain.MemberDeleted:
		return []op{hold(table, ws, e.AccountID, true),
			upsert(ws, e.AccountID, DueMemberPurge, uuid.Nil, domain.PurgeDue(e.DeletedAt))}
	case domain.MemberRestored:
		return []op{remove(table, ws, e.AccountID, DueMemberPurge, uuid.Nil), hold(table, ws, e.AccountID, false)}
	case domain.MemberPurged:
		return []op{remove(table, ws, e.AccountID, DueMemberPurge, uuid.Nil), invitation(e.AccountID)}
	}
	return workspaceOps(table, ws, e)
}

// workspaceOps pause a deleted workspace's work and make its purge due, and undo
// that on a restore; a purge ends all of its work.
func workspaceOps(table string, ws uuid.UUID, e domain.Event) []op {
	pause := func(paused bool) op {
		return op{sql: "UPDATE " + table + " SET paused = $2 WHERE workspace_id = $1", args: []any{ws, paused}}
	}
	switch e := e.(type) {
	case domain.WorkspaceDeleted:
		return []op{pause(true), upsert(ws, uuid.Nil, DueWorkspacePurge, uuid.Nil, domain.PurgeDue(e.DeletedAt))}
	case domain.WorkspaceRestored:
		return []op{remove(table, ws, uuid.Nil, DueWorkspacePurge, uuid.Nil), pause(false)}
	case domain.WorkspacePurged:
		return []op{{sql: "DELETE FROM " + table + " WHERE workspace_id = $1", args: []any{ws}}}
	}
	return nil
}

func upsert(ws, account uuid.UUID, kind string, item uuid.UUID, at time.Time) op {
	return op{due: &dueRow{ws: ws, account: account, kind: kind, item: item, at: at}}
}

func remove(table string, ws, account uuid.UUID, kind string, item uuid.UUID) op {
	return op{sql: "DELETE FROM " + table + " WHERE workspace_id = $1 AND account_id = $2 AND kind = $3 AND item_id = $4",
		args: []any{ws, account, kind, item}}
}

// hold holds a deleted invitee's invitation, or lets it run again on a restore.
func hold(table string, ws, account uuid.UUID, held bool) op {
	return op{sql: "UPDATE " + table + " SET held = $4 WHERE workspace_id = $1 AND account_id = $2 AND kind = $3",
		args: []any{ws, account, DueInvitationExpiry, held}}
}
