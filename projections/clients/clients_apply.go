package clients

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// key names one link: a member and a client.
type key struct {
	member roster.Member
	client uuid.UUID
}

// link is a link's final state in a batch; nil in fold.links deletes it.
type link struct {
	at time.Time
	by string
}

// fold is a batch folded in memory: the final state of every row it touches.
type fold struct {
	links   map[key]*link
	cleared map[roster.Member]bool   // every link of the member deleted before links
	names   map[roster.Member]string // (workspace, client) registered in the batch
	retired map[roster.Member]bool   // (workspace, client) retired in the batch
	order   []roster.Member          // names in registration order
}

// Apply implements Projection: it folds the batch in memory, then writes it with a few
// pipelined statements.
func (ClientLinks) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	f := newClientsFold()
	f.applyAll(batch)
	return f.write(ctx, tx, schema)
}

func newClientsFold() *fold {
	return &fold{links: map[key]*link{}, cleared: map[roster.Member]bool{},
		names: map[roster.Member]string{}, retired: map[roster.Member]bool{}}
}

func (f *fold) applyAll(batch []projections.Envelope) {
	for i := range batch {
		f.apply(&batch[i])
	}
}

func (f *fold) write(ctx context.Context, tx pgx.Tx, schema string) error {
	b := &pgx.Batch{}
	f.queueLinks(b, schema)
	f.queueNames(b, schema)
	return projections.SendLast(ctx, tx, b, "write client links")
}

// NewBulk implements BulkBuilder: the fold of one batch as big as the catch-up.
func (ClientLinks) NewBulk() projections.BulkFold {
	f := newClientsFold()
	return &projections.HeldFold{Apply: f.applyAll, Size: func() int { return len(f.links) + len(f.names) }, Write: f.write}
}

func (f *fold) apply(env *projections.Envelope) {
	if ws, ok := env.WorkspaceStream(); ok {
		switch e := env.Payload.(type) {
		case domain.ClientRegistered:
			k := roster.Member{WS: ws, Account: e.ClientID}
			if _, seen := f.names[k]; !seen {
				f.order = append(f.order, k)
			}
			f.names[k] = e.Name
		case domain.ClientRetired:
			f.retired[roster.Member{WS: ws, Account: e.ClientID}] = true
		}
		return
	}
	switch e := env.Payload.(type) {
	case domain.ClientLinked:
		f.links[key{roster.Member{WS: e.WorkspaceID, Account: e.AccountID}, e.ClientID}] = &link{at: roster.Time(env), by: roster.Actor(env)}
	case domain.ClientUnlinked:
		f.links[key{roster.Member{WS: e.WorkspaceID, Account: e.AccountID}, e.ClientID}] = nil
	case domain.GrantsCleared:
		m := roster.Member{WS: e.WorkspaceID, Account: e.AccountID}
		f.cleared[m] = true
		for k := range f.links {
			if k.member == m {
				delete(f.links, k) // the clear statement removes it, with the stored ones
			}
		}
	}
}

func (f *fold) queueLinks(b *pgx.Batch, schema string) {
	table := projections.Qualified(schema, linksTable)
	if len(f.cleared) > 0 {
		ws, acc := roster.UUIDs(roster.Keys(f.cleared))
		b.Queue("DELETE FROM "+table+" t USING unnest($1::uuid[], $2::uuid[]) k(ws, acc) WHERE t.workspace_id = k.ws AND t.account_id = k.acc", ws, acc)
	}
	var gone, up []roster.Member
	var goneClients, upClients [][16]byte
	var at []time.Time
	var by []string
	for k, l := range f.links {
		if l == nil {
			gone, goneClients = append(gone, k.member), append(goneClients, k.client)
			continue
		}
		up, upClients = append(up, k.member), append(upClients, k.client)
		at, by = append(at, l.at), append(by, l.by)
	}
	if len(gone) > 0 {
		ws, acc := roster.UUIDs(gone)
		b.Queue("DELETE FROM "+table+` t USING unnest($1::uuid[], $2::uuid[], $3::uuid[]) k(ws, acc, client)
			WHERE t.workspace_id = k.ws AND t.account_id = k.acc AND t.client_id = k.client`, ws, acc, goneClients)
	}
	if len(up) > 0 {
		ws, acc := roster.UUIDs(up)
		b.Queue("INSERT INTO "+table+` SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::text[])
			ON CONFLICT (workspace_id, account_id, client_id) DO UPDATE SET linked_at = excluded.linked_at, linked_by = excluded.linked_by`,
			ws, acc, upClients, at, by)
	}
}

func (f *fold) queueNames(b *pgx.Batch, schema string) {
	table := projections.Qualified(schema, namesTable)
	if len(f.order) > 0 {
		names := make([]string, len(f.order))
		for i, k := range f.order {
			names[i] = f.names[k]
		}
		ws, clients := roster.UUIDs(f.order)
		b.Queue("INSERT INTO "+table+` (workspace_id, client_id, name) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])
			ON CONFLICT (workspace_id, client_id) DO UPDATE SET name = excluded.name`, ws, clients, names)
	}
	if len(f.retired) > 0 {
		// After the insert: a client registered and retired in one batch ends retired.
		ws, clients := roster.UUIDs(roster.Keys(f.retired))
		b.Queue("UPDATE "+table+` t SET retired = true FROM unnest($1::uuid[], $2::uuid[]) k(ws, client)
			WHERE t.workspace_id = k.ws AND t.client_id = k.client`, ws, clients)
	}
}
