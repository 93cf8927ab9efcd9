package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// key names one grant: a member's visa on a category.
type key struct {
	member   roster.Member
	category uuid.UUID
}

// grant is a grant's final state in a batch; nil in fold.grants deletes it.
type grant struct {
	visa       uuid.UUID
	validUntil *time.Time
	grantedAt  time.Time
	grantedBy  string
}

// fold is a batch folded in memory: the final state of every row it touches.
type fold struct {
	roster  map[roster.Member]roster.Entry
	cleared map[roster.Member]bool // every grant of the member deleted before grants
	grants  map[key]*grant
	modules map[uuid.UUID]domain.ModuleSet // the booking module's last setting per workspace
	retired []roster.Member                // (workspace, retired category or visa)
}

// Apply implements Projection: it folds the batch in memory, then writes each table with
// one or two statements, pipelined.
func (p Booking) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	f := &fold{cleared: map[roster.Member]bool{}, grants: map[key]*grant{},
		modules: map[uuid.UUID]domain.ModuleSet{}}
	var err error
	if f.roster, err = loadRoster(ctx, tx, schema, roster.Members(batch)); err != nil {
		return err
	}
	for i := range batch {
		f.apply(&batch[i])
	}
	return f.write(ctx, tx, schema)
}

// NewBulk implements BulkBuilder: the fold of one batch as big as the catch-up.
func (Booking) NewBulk() projections.BulkFold {
	f := &fold{roster: map[roster.Member]roster.Entry{}, cleared: map[roster.Member]bool{}, grants: map[key]*grant{},
		modules: map[uuid.UUID]domain.ModuleSet{}}
	return &projections.HeldFold{
		Apply: func(batch []projections.Envelope) {
			for i := range batch {
				f.apply(&batch[i])
			}
		},
		Size:  func() int { return len(f.roster) + len(f.grants) },
		Write: f.write,
	}
}

func (f *fold) apply(env *projections.Envelope) {
	if ws, ok := env.WorkspaceStream(); ok {
		f.applyWorkspace(ws, env.Payload)
		return
	}
	switch e := env.Payload.(type) {
	case domain.VisaGranted:
		f.grants[key{roster.Member{WS: e.WorkspaceID, Account: e.AccountID}, e.CategoryID}] = &grant{
			visa: e.VisaID, validUntil: roster.UTC(e.ValidUntil), grantedAt: roster.Time(env), grantedBy: roster.Actor(env)}
	case domain.VisaRevoked:
		f.grants[key{roster.Member{WS: e.WorkspaceID, Account: e.AccountID}, e.CategoryID}] = nil
	case domain.VisaExpired:
		f.grants[key{roster.Member{WS: e.WorkspaceID, Account: e.AccountID}, e.CategoryID}] = nil
	case domain.GrantsCleared:
		m := roster.Member{WS: e.WorkspaceID, Account: e.AccountID}
		f.cleared[m] = true
		for k := range f.grants {
			if k.member == m {
				delete(f.grants, k) // the clear statement removes it, with the stored ones
			}
		}
	}
}

func (f *fold) applyWorkspace(ws uuid.UUID, e domain.Event) {
	switch e := e.(type) {
	case domain.ModuleSet:
		if e.Module == domain.ModuleBooking {
			f.modules[ws] = e
		}
	case domain.BookingCategoryRetired:
		f.retired = append(f.retired, roster.Member{WS: ws, Account: e.CategoryID})
	case domain.VisaRetired:
		f.retired = append(f.retired, roster.Member{WS: ws, Account: e.VisaID})
	default:
		for _, u := range roster.Step(e, func(a uuid.UUID) roster.Entry { return f.roster[roster.Member{WS: ws, Account: a}] }) {
			f.roster[roster.Member{WS: ws, Account: u.Account}] = u.Entry
		}
	}
}

// write sends every statement of the batch in one pipeline.
func (f *fold) write(ctx context.Context, tx pgx.Tx, schema string) error {
	b := &pgx.Batch{}
	f.queueRoster(b, schema)
	f.queueGrants(b, schema)
	f.queueWorkspaces(b, schema)
	return projections.SendLast(ctx, tx, b, "write booking")
}

func (f *fold) queueRoster(b *pgx.Batch, schema string) {
	var up, gone []roster.Member
	var statuses, roles []string
	for m, e := range f.roster {
		if !e.OnRoster() {
			gone = append(gone, m)
			continue
		}
		up = append(up, m)
		statuses, roles = append(statuses, string(e.Status)), append(roles, string(e.Role))
	}
	table := projections.Qualified(schema, membersTable)
	if len(gone) > 0 {
		ws, acc := roster.UUIDs(gone)
		b.Queue("DELETE FROM "+table+" t USING unnest($1::uuid[], $2::uuid[]) k(ws, acc) WHERE t.workspace_id = k.ws AND t.account_id = k.acc", ws, acc)
	}
	if len(up) > 0 {
		ws, acc := roster.UUIDs(up)
		b.Queue("INSERT INTO "+table+` SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])
			ON CONFLICT (workspace_id, account_id) DO UPDATE SET status = excluded.status, role = excluded.role`, ws, acc, statuses, roles)
	}
}

func (f *fold) queueGrants(b *pgx.Batch, schema string) {
	table := projections.Qualified(schema, authTable)
	if len(f.cleared) > 0 {
		ws, acc := roster.UUIDs(roster.Keys(f.cleared))
		b.Queue("DELETE FROM "+table+" t USING unnest($1::uuid[], $2::uuid[]) k(ws, acc) WHERE t.workspace_id = k.ws AND t.account_id = k.acc", ws, acc)
	}
	var gone, up []key
	for k, g := range f.grants {
		if g == nil {
			gone = append(gone, k)
		} else {
			up = append(up, k)
		}
	}
	if len(gone) > 0 {
		ws, acc, cat := keyArrays(gone)
		b.Queue("DELETE FROM "+table+` t USING unnest($1::uuid[], $2::uuid[], $3::uuid[]) k(ws, acc, cat)
			WHERE t.workspace_id = k.ws AND t.account_id = k.acc AND t.category_id = k.cat`, ws, acc, cat)
	}
	if len(up) > 0 {
		ws, acc, cat := keyArrays(up)
		visas, until, at, by := make([][16]byte, len(up)), make([]*time.Time, len(up)), make([]time.Time, len(up)), make([]string, len(up))
		for i, k := range up {
			g := f.grants[k]
			visas[i], until[i], at[i], by[i] = g.visa, g.validUntil, g.grantedAt, g.grantedBy
		}
		b.Queue("INSERT INTO "+table+` SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::timestamptz[], $7::text[])
			ON CONFLICT (workspace_id, account_id, category_id) DO UPDATE SET visa_id = excluded.visa_id,
			valid_until = excluded.valid_until, granted_at = excluded.granted_at, granted_by = excluded.granted_by`,
			ws, acc, cat, visas, until, at, by)
	}
}

func (f *fold) queueWorkspaces(b *pgx.Batch, schema string) {
	if len(f.modules) > 0 {
		var ws [][16]byte
		var enabled []bool
		var roles []string
		for id, m := range f.modules {
			ws, enabled, roles = append(ws, id), append(enabled, m.Enabled), append(roles, string(m.MinRole))
		}
		b.Queue("INSERT INTO "+projections.Qualified(schema, workspacesTable)+` SELECT * FROM unnest($1::uuid[], $2::boolean[], $3::text[])
			ON CONFLICT (workspace_id) DO UPDATE SET enabled = excluded.enabled, min_role = excluded.min_role`, ws, enabled, roles)
	}
	if len(f.retired) > 0 {
		ws, items := roster.UUIDs(f.retired)
		b.Queue("INSERT INTO "+projections.Qualified(schema, retiredTable)+` SELECT * FROM unnest($1::uuid[], $2::uuid[])
			ON CONFLICT DO NOTHING`, ws, items)
	}
}

func keyArrays(keys []key) (ws, accounts, categories [][16]byte) {
	categories = make([][16]byte, len(keys))
	members := make([]roster.Member, len(keys))
	for i, k := range keys {
		members[i], categories[i] = k.member, k.category
	}
	ws, accounts = roster.UUIDs(members)
	return ws, accounts, categories
}

// loadRoster prefetches, in one query, the stored roster entries of members.
func loadRoster(ctx context.Context, tx pgx.Tx, schema string, members []roster.Member) (map[roster.Member]roster.Entry, error) {
	out := map[roster.Member]roster.Entry{}
	if len(members) == 0 {
		return out, nil
	}
	ws, acc := roster.UUIDs(members)
	rows, err := tx.Query(ctx, "SELECT t.workspace_id, t.account_id, t.status, t.role FROM "+projections.Qualified(schema, membersTable)+
		" t JOIN unnest($1::uuid[], $2::uuid[]) k(ws, acc) ON t.workspace_id = k.ws AND t.account_id = k.acc", ws, acc)
	if err != nil {
		return nil, fmt.Errorf("load booking roster: %w", err)
	}
	var m roster.Member
	var e roster.Entry
	_, err = pgx.ForEachRow(rows, []any{(*[16]byte)(&m.WS), (*[16]byte)(&m.Account), &e.Status, &e.Role}, func() error { out[m] = e; return nil })
	if err != nil {
		return nil, fmt.Errorf("load booking roster: %w", err)
	}
	return out, nil
}
