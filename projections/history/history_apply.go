package history

import (
	"accessledger/projections"
	"accessledger/projections/roster"
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Apply implements Projection. It prefetches the current facts and last change number of
// every member and workspace the batch touches (one pipelined round trip), folds the batch
// in memory, then ends the stored facts the batch ended with one UPDATE per table and
// copies the new facts and changes in.
func (History) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	f := newHistoryFold()
	if err := f.load(ctx, tx, schema, batch); err != nil {
		return err
	}
	for i := range batch {
		f.apply(&batch[i])
	}
	return f.write(ctx, tx, schema)
}

// touched answers the members and the workspaces (for their catalog) a batch touches.
func touched(batch []projections.Envelope) ([]roster.Member, []uuid.UUID) {
	members := roster.Members(batch)
	seen := map[roster.Member]bool{}
	for _, m := range members {
		seen[m] = true
	}
	var workspaces []uuid.UUID
	seenWS := map[uuid.UUID]bool{}
	probe := &fold{members: map[roster.Member]*member{}, workspaces: map[uuid.UUID]map[factKey]*fact{}}
	for i := range batch {
		env := &batch[i]
		if ws, ok := env.WorkspaceStream(); ok {
			probe.env = env
			if !seenWS[ws] && probe.applyCatalog(ws, env.Payload) {
				seenWS[ws] = true
				workspaces = append(workspaces, ws)
			}
			continue
		}
		if m, ok := roster.AccessMember(env.Payload); ok && !seen[m] {
			seen[m] = true
			members = append(members, m)
		}
	}
	return members, workspaces
}

func (f *fold) load(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	members, workspaces := touched(batch)
	if len(members) == 0 && len(workspaces) == 0 {
		return nil
	}
	ws, acc := roster.UUIDs(members)
	b := &pgx.Batch{}
	b.Queue(`SELECT t.id, t.workspace_id, t.account_id, t.kind, t.key, t.value, t.valid_until, t.valid_from, t.set_by, t.set_reason, t.set_event
		FROM `+projections.Qualified(schema, factsTable)+` t JOIN unnest($1::uuid[], $2::uuid[]) k(ws, acc)
		ON t.workspace_id = k.ws AND t.account_id = k.acc WHERE t.valid_to IS NULL`, ws, acc).Query(func(rows pgx.Rows) error {
		return f.scanFacts(rows, true)
	})
	b.Queue(`SELECT id, workspace_id, '00000000-0000-0000-0000-000000000000'::uuid, kind, key, value, NULL::timestamptz, valid_from, set_by, set_reason, set_event
		FROM `+projections.Qualified(schema, workspaceFactsTable)+` WHERE workspace_id = ANY($1) AND valid_to IS NULL`, roster.IDs(workspaces)).Query(func(rows pgx.Rows) error {
		return f.scanFacts(rows, false)
	})
	b.Queue(`SELECT k.ws, k.acc, coalesce((SELECT max(c.seq) FROM `+projections.Qualified(schema, changesTable)+
		` c WHERE c.workspace_id = k.ws AND c.account_id = k.acc), 0) FROM unnest($1::uuid[], $2::uuid[]) k(ws, acc)`, ws, acc).Query(func(rows pgx.Rows) error {
		var m roster.Member
		var seq int64
		_, err := pgx.ForEachRow(rows, []any{(*[16]byte)(&m.WS), (*[16]byte)(&m.Account), &seq}, func() error { f.member(m).seq = seq; return nil })
		return err
	})
	if err := projections.SendBatch(ctx, tx, b, "load history state"); err != nil {
		return err
	}
	return nil
}

func (f *fold) scanFacts(rows pgx.Rows, ofMember bool) error {
	var r fact
	_, err := pgx.ForEachRow(rows, []any{&r.id, (*[16]byte)(&r.member.WS), (*[16]byte)(&r.member.Account), &r.kind, &r.key, &r.value, &r.validUntil,
		&r.validFrom, &r.setBy, &r.setReason, (*[16]byte)(&r.setEvent)}, func() error {
		fact := r
		if fact.validUntil != nil {
			u := fact.validUntil.UTC()
			fact.validUntil = &u
		}
		fact.validFrom = fact.validFrom.UTC()
		if ofMember {
			f.member(fact.member).open[fact.factKey] = &fact
		} else {
			f.workspace(fact.member.WS)[fact.factKey] = &fact
		}
		return nil
	})
	return err
}

func (f *fold) write(ctx context.Context, tx pgx.Tx, schema string) error {
	b := &pgx.Batch{}
	f.queueEnded(b, schema)
	var memberRows, wsRows [][]any
	for _, r := range f.opened {
		if r.member.Account == uuid.Nil {
			wsRows = append(wsRows, []any{[16]byte(r.member.WS), r.kind, r.key, r.value, r.validFrom, r.validTo,
				r.setBy, r.setReason, [16]byte(r.setEvent), nullText(r.endedBy, r.validTo), nullText(r.endedReason, r.validTo), nullID(r.endedEvent)})
			continue
		}
		memberRows = append(memberRows, []any{[16]byte(r.member.WS), [16]byte(r.member.Account), r.kind, r.key, r.value, r.validUntil, r.validFrom, r.validTo,
			r.setBy, r.setReason, [16]byte(r.setEvent), nullText(r.endedBy, r.validTo), nullText(r.endedReason, r.validTo), nullID(r.endedEvent)})
	}
	changeRows := make([][]any, len(f.changes))
	for i, c := range f.changes {
		changeRows[i] = []any{[16]byte(c.member.WS), [16]byte(c.member.Account), c.seq, c.at, c.kind, c.key, c.before, c.after, c.validUntil,
			c.actor, c.reason, [16]byte(c.event), c.eventType}
	}
	return projections.AppendRows(ctx, tx, b, schema,
		projections.TableRows{Table: factsTable, Columns: []string{"workspace_id", "account_id", "kind", "key", "value", "valid_until", "valid_from", "valid_to",
			"set_by", "set_reason", "set_event", "ended_by", "ended_reason", "ended_event"}, Rows: memberRows},
		projections.TableRows{Table: workspaceFactsTable, Columns: []string{"workspace_id", "kind", "key", "value", "valid_from", "valid_to",
			"set_by", "set_reason", "set_event", "ended_by", "ended_reason", "ended_event"}, Rows: wsRows},
		projections.TableRows{Table: changesTable, Columns: []string{"workspace_id", "account_id", "seq", "occurred_at", "kind", "key", "before", "after",
			"valid_until", "actor", "reason", "event_id", "event_type"}, Rows: changeRows})
}

// queueEnded queues in b the end of the stored facts the batch ended: one UPDATE per
// table.
func (f *fold) queueEnded(b *pgx.Batch, schema string) {
	type cols struct {
		ids          []int64
		tos          []time.Time
		bys, reasons []string
		events       [][16]byte
	}
	var member, ws cols
	for _, r := range f.ended {
		c := &member
		if r.member.Account == uuid.Nil {
			c = &ws
		}
		c.ids, c.tos = append(c.ids, r.id), append(c.tos, *r.validTo)
		c.bys, c.reasons, c.events = append(c.bys, r.endedBy), append(c.reasons, r.endedReason), append(c.events, r.endedEvent)
	}
	for table, c := range map[string]cols{factsTable: member, workspaceFactsTable: ws} {
		if len(c.ids) == 0 {
			continue
		}
		b.Queue("UPDATE "+projections.Qualified(schema, table)+` t SET valid_to = k.t, ended_by = k.b, ended_reason = k.r, ended_event = k.e
			FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::uuid[]) k(id, t, b, r, e) WHERE t.id = k.id`,
			c.ids, c.tos, c.bys, c.reasons, c.events)
	}
}

// nullText answers s for an ended fact and NULL for a current one.
func nullText(s string, validTo *time.Time) *string {
	if validTo == nil {
		return nil
	}
	return &s
}

func nullID(id uuid.UUID) *[16]byte {
	if id == uuid.Nil {
		return nil
	}
	b := [16]byte(id)
	return &b
}
