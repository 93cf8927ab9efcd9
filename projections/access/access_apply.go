package access

import (
	"accessledger/projections"
	"accessledger/projections/roster"
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// fold is a batch folded in memory. members holds every member whose check rows the
// batch may change: those it touches, and every member of a workspace whose configuration
// it changes.
type fold struct {
	members map[roster.Member]*memberState
	changed map[roster.Member]bool // members whose stored state the batch changes
	configs map[uuid.UUID]*config
	dirty   map[uuid.UUID]bool               // workspaces whose configuration the batch changes
	before  map[roster.Member]map[string]Row // the stored check rows, by action
}

// Apply implements Projection. It prefetches the state the batch needs with one query per
// table, pipelined, folds the batch in memory, recomputes the check rows of every affected member and
// writes those that changed: one pipelined batch of statements and one COPY.
func (AccessCheck) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	touched, dirty := scan(batch)
	f := &fold{changed: map[roster.Member]bool{}, dirty: dirty}
	f.configs, f.members = map[uuid.UUID]*config{}, map[roster.Member]*memberState{}
	b := &pgx.Batch{}
	queueLoadConfigs(b, schema, touched, dirty, f.configs)
	queueLoadMembers(b, schema, touched, dirty, f.members)
	if err := projections.SendBatch(ctx, tx, b, "load access state"); err != nil {
		return err
	}
	f.snapshot()
	for i := range batch {
		f.apply(&batch[i])
	}
	return f.write(ctx, tx, schema)
}

// NewBulk implements BulkBuilder: the fold of one batch as big as the catch-up, whose
// check rows are computed once, at the end.
func (AccessCheck) NewBulk() projections.BulkFold {
	f := &fold{members: map[roster.Member]*memberState{}, changed: map[roster.Member]bool{},
		configs: map[uuid.UUID]*config{}, dirty: map[uuid.UUID]bool{}, before: map[roster.Member]map[string]Row{}}
	return &projections.HeldFold{
		Apply: func(batch []projections.Envelope) {
			_, dirty := scan(batch)
			for ws := range dirty {
				f.dirty[ws] = true
			}
			for i := range batch {
				f.apply(&batch[i])
			}
		},
		Size:  func() int { return len(f.members) + len(f.configs) },
		Write: f.write,
	}
}

// scan answers the members a batch touches and the workspaces whose configuration
// it changes, so that their state can be prefetched before the fold.
func scan(batch []projections.Envelope) ([]roster.Member, map[uuid.UUID]bool) {
	touched := roster.Members(batch)
	seen := map[roster.Member]bool{}
	for _, m := range touched {
		seen[m] = true
	}
	dirty := map[uuid.UUID]bool{}
	for i := range batch {
		if ws, ok := batch[i].WorkspaceStream(); ok {
			if applyConfig(&config{}, batch[i].Payload) {
				dirty[ws] = true
			}
			continue
		}
		if m, ok := roster.AccessMember(batch[i].Payload); ok && !seen[m] {
			seen[m] = true
			touched = append(touched, m)
		}
	}
	return touched, dirty
}

func (f *fold) member(m roster.Member) *memberState {
	s, ok := f.members[m]
	if !ok {
		s = &memberState{}
		f.members[m] = s
	}
	return s
}

func (f *fold) config(ws uuid.UUID) *config {
	c, ok := f.configs[ws]
	if !ok {
		c = &config{}
		f.configs[ws] = c
	}
	return c
}

func (f *fold) apply(env *projections.Envelope) {
	if ws, ok := env.WorkspaceStream(); ok {
		if applyConfig(f.config(ws), env.Payload) {
			return
		}
		cur := func(a uuid.UUID) roster.Entry { return f.member(roster.Member{WS: ws, Account: a}).entry }
		for _, u := range roster.Step(env.Payload, cur) {
			m := roster.Member{WS: ws, Account: u.Account}
			f.member(m).entry = u.Entry
			f.changed[m] = true
		}
		return
	}
	if m, ok := roster.AccessMember(env.Payload); ok {
		applyGrant(&f.member(m).grants, env.Payload)
		f.changed[m] = true
	}
}

// write stores the changed states and configurations and the changes of the affected
// members' check rows, copying the new rows in.
func (f *fold) write(ctx context.Context, tx pgx.Tx, schema string) error {
	if len(f.members) == 0 && len(f.dirty) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	if err := f.queueStates(b, schema); err != nil {
		return err
	}
	if err := f.queueConfigs(b, schema); err != nil {
		return err
	}
	change := f.diff()
	change.queue(b, schema)
	return projections.AppendRows(ctx, tx, b, schema, projections.TableRows{Table: checksTable,
		Columns: []string{"workspace_id", "account_id", "action", "allowed", "valid_until"}, Rows: change.added})
}

// queueStates stores the members whose state changed; an account off the roster with no
// grant left has nothing to keep.
func (f *fold) queueStates(b *pgx.Batch, schema string) error {
	var up, gone []roster.Member
	var statuses, roles, grants []string
	for m := range f.changed {
		s := f.members[m]
		if !s.entry.OnRoster() && s.grants.empty() {
			gone = append(gone, m)
			continue
		}
		doc, err := json.Marshal(s.grants)
		if err != nil {
			return fmt.Errorf("encode grants of %s: %w", m.Account, err)
		}
		up = append(up, m)
		statuses, roles, grants = append(statuses, string(s.entry.Status)), append(roles, string(s.entry.Role)), append(grants, string(doc))
	}
	table := projections.Qualified(schema, membersTable)
	if len(gone) > 0 {
		ws, acc := roster.UUIDs(gone)
		b.Queue("DELETE FROM "+table+" t USING unnest($1::uuid[], $2::uuid[]) k(ws, acc) WHERE t.workspace_id = k.ws AND t.account_id = k.acc", ws, acc)
	}
	if len(up) > 0 {
		ws, acc := roster.UUIDs(up)
		b.Queue("INSERT INTO "+table+` SELECT ws, acc, s, r, g::jsonb FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[]) k(ws, acc, s, r, g)
			ON CONFLICT (workspace_id, account_id) DO UPDATE SET status = excluded.status, role = excluded.role, grants = excluded.grants`,
			ws, acc, statuses, roles, grants)
	}
	return nil
}

func (f *fold) queueConfigs(b *pgx.Batch, schema string) error {
	if len(f.dirty) == 0 {
		return nil
	}
	var ws [][16]byte
	var docs []string
	for id := range f.dirty {
		doc, err := json.Marshal(f.config(id))
		if err != nil {
			return fmt.Errorf("encode configuration of %s: %w", id, err)
		}
		ws, docs = append(ws, id), append(docs, string(doc))
	}
	b.Queue("INSERT INTO "+projections.Qualified(schema, workspacesTable)+` SELECT ws, c::jsonb FROM unnest($1::uuid[], $2::text[]) k(ws, c)
		ON CONFLICT (workspace_id) DO UPDATE SET config = excluded.config`, ws, docs)
	return nil
}

// queueLoadConfigs queues the read, into out, of the configuration of every workspace
// the batch touches.
func queueLoadConfigs(b *pgx.Batch, schema string, touched []roster.Member, dirty map[uuid.UUID]bool, out map[uuid.UUID]*config) {
	ids := make([][16]byte, 0, len(dirty)+len(touched))
	for id := range dirty {
		ids = append(ids, id)
	}
	for _, m := range touched {
		ids = append(ids, m.WS)
	}
	if len(ids) == 0 {
		return
	}
	b.Queue("SELECT workspace_id, config FROM "+projections.Qualified(schema, workspacesTable)+" WHERE workspace_id = ANY($1)", ids).
		Query(func(rows pgx.Rows) error {
			var id uuid.UUID
			var doc []byte
			_, err := pgx.ForEachRow(rows, []any{(*[16]byte)(&id), &doc}, func() error {
				c := &config{}
				out[id] = c
				return json.Unmarshal(doc, c)
			})
			if err != nil {
				return fmt.Errorf("load access configurations: %w", err)
			}
			return nil
		})
}

// queueLoadMembers queues the read, into out, of the state of the touched members and of
// every member of the dirty workspaces.
func queueLoadMembers(b *pgx.Batch, schema string, touched []roster.Member, dirty map[uuid.UUID]bool, out map[roster.Member]*memberState) {
	dirtyIDs := make([][16]byte, 0, len(dirty))
	for id := range dirty {
		dirtyIDs = append(dirtyIDs, id)
	}
	if len(touched) == 0 && len(dirtyIDs) == 0 {
		return
	}
	table := projections.Qualified(schema, membersTable)
	ws, acc := roster.UUIDs(touched)
	b.Queue("SELECT t.workspace_id, t.account_id, t.status, t.role, t.grants FROM "+table+
		" t JOIN unnest($1::uuid[], $2::uuid[]) k(ws, acc) ON t.workspace_id = k.ws AND t.account_id = k.acc"+
		" UNION ALL SELECT workspace_id, account_id, status, role, grants FROM "+table+" WHERE workspace_id = ANY($3)",
		ws, acc, dirtyIDs).Query(func(rows pgx.Rows) error {
		var m roster.Member
		var e roster.Entry
		var doc []byte
		_, err := pgx.ForEachRow(rows, []any{(*[16]byte)(&m.WS), (*[16]byte)(&m.Account), &e.Status, &e.Role, &doc}, func() error {
			s := &memberState{entry: e}
			out[m] = s
			return json.Unmarshal(doc, &s.grants)
		})
		if err != nil {
			return fmt.Errorf("load access members: %w", err)
		}
		return nil
	})
}
