package projections

import (
	"time"

	"github.com/jackc/pgx/v5"
)

// accessChange is what a batch does to the stored check rows: rows to add (keys not
// stored), rows to update (stored, with another value) and keys to delete.
type accessChange struct {
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
func (f *accessFold) snapshot() {
	f.before = make(map[authzMember]map[string]accessRow, len(f.members))
	for m, s := range f.members {
		f.before[m] = accessRowsByAction(accessRowsOf(s, f.config(m.ws)))
	}
}

func accessRowsByAction(rows []accessRow) map[string]accessRow {
	byAction := make(map[string]accessRow, len(rows))
	for _, r := range rows {
		byAction[r.action] = r
	}
	return byAction
}

// diff answers how the check rows of every member of the fold change: only what the
// batch changed is written, instead of every affected member's rows deleted and copied
// again.
func (f *accessFold) diff() accessChange {
	var c accessChange
	for m, s := range f.members {
		before := f.before[m]
		after := accessRowsByAction(accessRowsOf(s, f.config(m.ws)))
		for action, r := range after {
			old, stored := before[action]
			switch {
			case !stored:
				c.added = append(c.added, []any{[16]byte(m.ws), [16]byte(m.account), r.action, r.allowed, r.validUntil})
			case old.allowed != r.allowed || !sameTime(old.validUntil, r.validUntil):
				c.upWS, c.upAcc, c.upAction = append(c.upWS, m.ws), append(c.upAcc, m.account), append(c.upAction, action)
				c.upAllowed, c.upUntil = append(c.upAllowed, r.allowed), append(c.upUntil, r.validUntil)
			}
		}
		for action := range before {
			if _, kept := after[action]; !kept {
				c.delWS, c.delAcc, c.delAction = append(c.delWS, m.ws), append(c.delAcc, m.account), append(c.delAction, action)
			}
		}
	}
	return c
}

// queue queues the deletes and updates of the change; the added rows are copied after.
func (c *accessChange) queue(b *pgx.Batch, schema string) {
	table := Qualified(schema, accessChecksTable)
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
