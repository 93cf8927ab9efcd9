package access

import (
	"accessledger/projections"
	"accessledger/projections/roster"
	"time"

	"github.com/jackc/pgx/v5"
)

// change is what a batch does to the stored check rows: rows to add (keys not
// stored), rows to update (stored, with another value) and keys to delete.
type change struct {
	added         [][]any
	upWS, upAcc   [][16]byte
	upAction      []string
	upAllowed     []bool
	upUntil       []*time.Time
	delWS, delAcc [][16]byte
	delAction     []string
}

// snapshot records the check rows of every member loaded, before the fold: they are the
// rows stored, since stored rows are always those of the stored state and configuration.
func (f *fold) snapshot() {
	f.before = make(map[roster.Member]map[string]Row, len(f.members))
	for m, s := range f.members {
		f.before[m] = rowsByAction(rowsOf(s, f.config(m.WS)))
	}
}

func rowsByAction(rows []Row) map[string]Row {
	byAction := make(map[string]Row, len(rows))
	for _, r := range rows {
		byAction[r.Action] = r
	}
	return byAction
}

// diff answers how the check rows of every member of the fold change: only what the
// batch changed is written, instead of every affected member's rows deleted and copied
// again.
func (f *fold) diff() change {
	var c change
	for m, s := range f.members {
		before := f.before[m]
		after := rowsByAction(rowsOf(s, f.config(m.WS)))
		for action, r := range after {
			old, stored := before[action]
			switch {
			case !stored:
				c.added = append(c.added, []any{[16]byte(m.WS), [16]byte(m.Account), r.Action, r.Allowed, r.validUntil})
			case old.Allowed != r.Allowed || !sameTime(old.validUntil, r.validUntil):
				c.upWS, c.upAcc, c.upAction = append(c.upWS, m.WS), append(c.upAcc, m.Account), append(c.upAction, action)
				c.upAllowed, c.upUntil = append(c.upAllowed, r.Allowed), append(c.upUntil, r.validUntil)
			}
		}
		for action := range before {
			if _, kept := after[action]; !kept {
				c.delWS, c.delAcc, c.delAction = append(c.delWS, m.WS), append(c.delAcc, m.Account), append(c.delAction, action)
			}
		}
	}
	return c
}

// queue queues the deletes and updates of the change; the added rows are copied after.
func (c *change) queue(b *pgx.Batch, schema string) {
	table := projections.Qualified(schema, checksTable)
	if len(c.delWS) > 0 {
		b.Queue("DELETE FROM "+table+` t USING unnest($1::uuid[], $2::uuid[], $3::text[]) k(ws, acc, action)
			WHERE t.workspace_id = k.ws AND t.account_id = k.acc AND t.action = k.action`, c.delWS, c.delAcc, c.delAction)
	}
	if len(c.upWS) > 0 {
		b.Queue("UPDATE "+table+` t SET allowed = k.allowed, valid_until = k.until
			FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::boolean[], $5::timestamptz[]) k(ws, acc, action, allowed, until)
			WHERE t.workspace_id = k.ws AND t.account_id = k.acc AND t.action = k.action`,
			c.upWS, c.upAcc, c.upAction, c.upAllowed, c.upUntil)
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
