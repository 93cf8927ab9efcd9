package members

import (
	"accessledger/projections"
	"accessledger/projections/roster"
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Apply implements Projection: it reads the stored rows the batch changes (one query per
// table, pipelined), folds the batch in memory, then writes the final state of every
// touched row with one pipelined batch of set-wise statements.
func (Members) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	f := newMembersFold()
	if err := f.load(ctx, tx, schema, batch); err != nil {
		return err
	}
	for i := range batch {
		f.apply(&batch[i])
	}
	return f.write(ctx, tx, schema)
}

// write writes the final state of every row the fold touched.
func (f *fold) write(ctx context.Context, tx pgx.Tx, schema string) error {
	b := &pgx.Batch{}
	f.queueAccounts(b, schema)
	f.queueRows(b, schema)
	f.queueGrants(b, schema)
	f.queueSettings(b, schema)
	f.queueCatalog(b, schema)
	return projections.SendLast(ctx, tx, b, "write members")
}

// NewBulk implements BulkBuilder: the fold of one batch as big as the catch-up.
func (Members) NewBulk() projections.BulkFold {
	f := newMembersFold()
	return &projections.HeldFold{
		Apply: func(batch []projections.Envelope) {
			for i := range batch {
				f.apply(&batch[i])
			}
		},
		Size:  func() int { return len(f.rows) + len(f.accounts) + len(f.grants) + len(f.projects) },
		Write: f.write,
	}
}

// load prefetches the member rows and accounts the batch changes.
func (f *fold) load(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	keys, accounts := prefetchKeys(batch)
	if len(keys) == 0 && len(accounts) == 0 {
		return nil
	}
	ws, acc := roster.UUIDs(keys)
	b := &pgx.Batch{}
	b.Queue(`SELECT t.workspace_id, t.account_id, status, role, previous_status, invited_at, status_changed_at, joined_at,
		deleted_at, invitation_expires_at, suspension_reason, suspended_until, welcome_sent
		FROM `+projections.Qualified(schema, MembersTable)+` t JOIN unnest($1::uuid[], $2::uuid[]) k(ws, acc)
		ON t.workspace_id = k.ws AND t.account_id = k.acc`, ws, acc).Query(func(rows pgx.Rows) error {
		var k roster.Member
		var r row
		_, err := pgx.ForEachRow(rows, []any{&k.WS, &k.Account, &r.status, &r.role, &r.previous, &r.invitedAt, &r.statusChangedAt,
			&r.joinedAt, &r.deletedAt, &r.expiresAt, &r.suspensionReason, &r.suspendedUntil, &r.welcomeSent}, func() error {
			row := r
			f.rows[k], f.stored[k] = &row, true
			return nil
		})
		return err
	})
	b.Queue(`SELECT account_id, email, login, first_name, last_name, phone FROM `+projections.Qualified(schema, AccountsTable)+
		` WHERE account_id = ANY($1::uuid[])`, roster.IDs(accounts)).Query(func(rows pgx.Rows) error {
		var id uuid.UUID
		var a account
		_, err := pgx.ForEachRow(rows, []any{&id, &a.email, &a.login, &a.firstName, &a.lastName, &a.phone}, func() error {
			account := a
			f.accounts[id] = &account
			return nil
		})
		return err
	})
	if err := projections.SendBatch(ctx, tx, b, "read members the batch changes"); err != nil {
		return err
	}
	return nil
}

// queueAccounts upserts the changed accounts.
func (f *fold) queueAccounts(b *pgx.Batch, schema string) {
	if len(f.dirtyAccs) == 0 {
		return
	}
	n := len(f.dirtyAccs)
	ids := make([][16]byte, 0, n)
	email, login, first, last, phone := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	for id := range f.dirtyAccs {
		a := f.accounts[id]
		ids = append(ids, id)
		email, login, first, last, phone = append(email, a.email), append(login, a.login), append(first, a.firstName), append(last, a.lastName), append(phone, a.phone)
	}
	b.Queue(`INSERT INTO `+projections.Qualified(schema, AccountsTable)+` (account_id, email, login, first_name, last_name, phone)
		SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
		ON CONFLICT (account_id) DO UPDATE SET email = excluded.email, login = excluded.login,
		first_name = excluded.first_name, last_name = excluded.last_name, phone = excluded.phone`,
		ids, email, login, first, last, phone)
}

// rowArrays are the columns of member rows, one array per column, for unnest.
type rowArrays struct {
	ws, acc                                     [][16]byte
	status, role, previous, reason              []string
	statusRank, roleRank                        []int16
	invitedAt, changedAt                        []time.Time
	joinedAt, deletedAt, expiresAt, suspendedTo []*time.Time
	welcome                                     []bool
}

func (a *rowArrays) add(k roster.Member, r *row) {
	a.ws, a.acc = append(a.ws, k.WS), append(a.acc, k.Account)
	a.status, a.role, a.previous, a.reason = append(a.status, string(r.status)), append(a.role, string(r.role)),
		append(a.previous, string(r.previous)), append(a.reason, r.suspensionReason)
	a.statusRank, a.roleRank = append(a.statusRank, int16(statusRank(r.status))), append(a.roleRank, int16(r.role.Rank()))
	a.invitedAt, a.changedAt = append(a.invitedAt, r.invitedAt), append(a.changedAt, r.statusChangedAt)
	a.joinedAt, a.deletedAt = append(a.joinedAt, r.joinedAt), append(a.deletedAt, r.deletedAt)
	a.expiresAt, a.suspendedTo = append(a.expiresAt, r.expiresAt), append(a.suspendedTo, r.suspendedUntil)
	a.welcome = append(a.welcome, r.welcomeSent)
}

// queueRows deletes removed member rows and upserts changed ones with the personal data
// of their accounts (queueAccounts wrote those first), then copies the personal data of
// every other changed account into every row of the account.
func (f *fold) queueRows(b *pgx.Batch, schema string) {
	table := projections.Qualified(schema, MembersTable)
	var gone []roster.Member
	var up rowArrays
	for k := range f.dirty {
		if r := f.rows[k]; r != nil {
			up.add(k, r)
		} else {
			gone = append(gone, k)
		}
	}
	if len(gone) > 0 {
		queueClear(b, gone, table, projections.Qualified(schema, searchTable))
	}
	if len(up.ws) > 0 {
		b.Queue(`INSERT INTO `+table+` (workspace_id, account_id, status, status_rank, role, role_rank, previous_status,
			invited_at, joined_at, status_changed_at, deleted_at, invitation_expires_at, suspension_reason, suspended_until, welcome_sent,
			email, login, first_name, last_name, phone)
			SELECT k.*, coalesce(a.email, ''), coalesce(a.login, ''), coalesce(a.first_name, ''), coalesce(a.last_name, ''), coalesce(a.phone, '')
			FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::smallint[], $5::text[], $6::smallint[], $7::text[],
			$8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::text[], $14::timestamptz[], $15::boolean[])
			AS k(ws, acc, status, status_rank, role, role_rank, previous, invited, joined, changed, deleted, expires, reason, suspended, welcome)
			LEFT JOIN `+projections.Qualified(schema, AccountsTable)+` a ON a.account_id = k.acc
			ON CONFLICT (workspace_id, account_id) DO UPDATE SET status = excluded.status, status_rank = excluded.status_rank,
			role = excluded.role, role_rank = excluded.role_rank, previous_status = excluded.previous_status,
			invited_at = excluded.invited_at, joined_at = excluded.joined_at, status_changed_at = excluded.status_changed_at,
			deleted_at = excluded.deleted_at, invitation_expires_at = excluded.invitation_expires_at,
			suspension_reason = excluded.suspension_reason, suspended_until = excluded.suspended_until, welcome_sent = excluded.welcome_sent,
			email = excluded.email, login = excluded.login, first_name = excluded.first_name, last_name = excluded.last_name, phone = excluded.phone`,
			up.ws, up.acc, up.status, up.statusRank, up.role, up.roleRank, up.previous, up.invitedAt, up.joinedAt, up.changedAt,
			up.deletedAt, up.expiresAt, up.reason, up.suspendedTo, up.welcome)
	}
	// A changed account also shows in the rows of its other memberships, which the batch
	// did not upsert.
	ids := make([][16]byte, 0, len(f.dirtyAccs))
	for id := range f.dirtyAccs {
		ids = append(ids, id)
	}
	if len(ids) > 0 {
		b.Queue(`UPDATE `+table+` t SET email = a.email, login = a.login, first_name = a.first_name, last_name = a.last_name, phone = a.phone
			FROM `+projections.Qualified(schema, AccountsTable)+` a
			WHERE a.account_id = t.account_id AND t.account_id = ANY($1::uuid[])
			  AND (t.email, t.login, t.first_name, t.last_name, t.phone) IS DISTINCT FROM (a.email, a.login, a.first_name, a.last_name, a.phone)`, ids)
	}
	f.queueSearch(b, schema, ids)
}

// queueSearch writes the search keys of the rows that are new and of every row of the
// changed accounts (queueRows wrote those rows first). A key that did not change is not
// written again: that is what keeps the trigram index out of roster changes.
func (f *fold) queueSearch(b *pgx.Batch, schema string, accounts [][16]byte) {
	var fresh []roster.Member
	for k := range f.dirty {
		if f.rows[k] != nil && !f.stored[k] {
			fresh = append(fresh, k)
		}
	}
	upsert := `INSERT INTO ` + projections.Qualified(schema, searchTable) + ` AS s (workspace_id, account_id, search)
		SELECT m.workspace_id, m.account_id, ` + searchText + ` FROM ` + projections.Qualified(schema, MembersTable) + ` m %s
		ON CONFLICT (workspace_id, account_id) DO UPDATE SET search = excluded.search WHERE s.search IS DISTINCT FROM excluded.search`
	if len(fresh) > 0 {
		ws, acc := roster.UUIDs(fresh)
		b.Queue(fmt.Sprintf(upsert, "JOIN unnest($1::uuid[], $2::uuid[]) k(ws, acc) ON m.workspace_id = k.ws AND m.account_id = k.acc"), ws, acc)
	}
	if len(accounts) > 0 {
		b.Queue(fmt.Sprintf(upsert, "WHERE m.account_id = ANY($1::uuid[])"), accounts)
	}
}

// queueGrants writes the grants of every member the batch touched: clears first, then
// removals, then upserts.
func (f *fold) queueGrants(b *pgx.Batch, schema string) {
	var clearAll, clearProjects []roster.Member
	var pDel, pUp, cDel, cUp, vDel, vUp triples
	var roles []string
	var visas [][16]byte
	var until []*time.Time
	for k, g := range f.grants {
		if g.clearAll {
			clearAll = append(clearAll, k)
		}
		if g.clearProjects {
			clearProjects = append(clearProjects, k)
		}
		for p, role := range g.projects {
			if role == "" {
				pDel.add(k, p)
			} else {
				pUp.add(k, p)
				roles = append(roles, string(role))
			}
		}
		for c, linked := range g.clients {
			if linked {
				cUp.add(k, c)
			} else {
				cDel.add(k, c)
			}
		}
		for c, v := range g.visas {
			if v == nil {
				vDel.add(k, c)
			} else {
				vUp.add(k, c)
				visas, until = append(visas, v.visa), append(until, v.until)
			}
		}
	}
	projects, clients, visaTable := projections.Qualified(schema, projectsTable), projections.Qualified(schema, clientsTable), projections.Qualified(schema, visasTable)
	queueClear(b, clearAll, projects, clients, visaTable)
	queueClear(b, clearProjects, projects)
	pDel.queueDelete(b, projects, "project_id")
	cDel.queueDelete(b, clients, "client_id")
	vDel.queueDelete(b, visaTable, "category_id")
	if len(pUp.ws) > 0 {
		b.Queue(`INSERT INTO `+projects+` SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[])
			ON CONFLICT (workspace_id, account_id, project_id) DO UPDATE SET role = excluded.role`, pUp.ws, pUp.acc, pUp.id, roles)
	}
	if len(cUp.ws) > 0 {
		b.Queue(`INSERT INTO `+clients+` SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) ON CONFLICT DO NOTHING`, cUp.ws, cUp.acc, cUp.id)
	}
	if len(vUp.ws) > 0 {
		b.Queue(`INSERT INTO `+visaTable+` SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[])
			ON CONFLICT (workspace_id, account_id, category_id) DO UPDATE SET visa_id = excluded.visa_id, valid_until = excluded.valid_until`,
			vUp.ws, vUp.acc, vUp.id, visas, until)
	}
}

// queueClear deletes every row of the members keys in each table.
func queueClear(b *pgx.Batch, keys []roster.Member, tables ...string) {
	if len(keys) == 0 {
		return
	}
	ws, acc := roster.UUIDs(keys)
	for _, table := range tables {
		b.Queue("DELETE FROM "+table+" t USING unnest($1::uuid[], $2::uuid[]) k(ws, acc) WHERE t.workspace_id = k.ws AND t.account_id = k.acc", ws, acc)
	}
}

// triples are (workspace, account, item) keys as three arrays for unnest.
type triples struct {
	ws, acc, id [][16]byte
}

func (t *triples) add(k roster.Member, id uuid.UUID) {
	t.ws, t.acc, t.id = append(t.ws, k.WS), append(t.acc, k.Account), append(t.id, id)
}

// queueDelete deletes the rows of the keys; column names the item column of table.
func (t *triples) queueDelete(b *pgx.Batch, table, column string) {
	if len(t.ws) == 0 {
		return
	}
	b.Queue("DELETE FROM "+table+" t USING unnest($1::uuid[], $2::uuid[], $3::uuid[]) k(ws, acc, id) WHERE t.workspace_id = k.ws AND t.account_id = k.acc AND t."+column+" = k.id",
		t.ws, t.acc, t.id)
}
