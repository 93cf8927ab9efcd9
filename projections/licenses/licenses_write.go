package licenses

import (
	"accessledger/projections"
	"accessledger/projections/roster"
	"time"

	"github.com/jackc/pgx/v5"
)

// queue writes every row the batch touched: workspaces, member statuses and days.
func (f *fold) queue(b *pgx.Batch, schema string) {
	f.queueWorkspaces(b, schema)
	f.queueMembers(b, schema)
	f.queueDays(b, schema)
}

func (f *fold) queueWorkspaces(b *pgx.Batch, schema string) {
	if len(f.dirtyWS) == 0 {
		return
	}
	var ids [][16]byte
	var seats []int32
	var counts [6][]int32
	var at []time.Time
	for id := range f.dirtyWS {
		w := f.workspaces[id]
		ids, seats, at = append(ids, id), append(seats, int32(w.seats)), append(at, w.updatedAt)
		for i, s := range countedStatuses {
			counts[i] = append(counts[i], int32(w.counts[s]))
		}
	}
	b.Queue(`INSERT INTO `+projections.Qualified(schema, workspacesTable)+`
		SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::timestamptz[])
		ON CONFLICT (workspace_id) DO UPDATE SET seats = excluded.seats, invited = excluded.invited, pending = excluded.pending,
		active = excluded.active, suspended = excluded.suspended, deactivated = excluded.deactivated, deleted = excluded.deleted,
		updated_at = excluded.updated_at`,
		ids, seats, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], at)
}

func (f *fold) queueMembers(b *pgx.Batch, schema string) {
	table := projections.Qualified(schema, membersTable)
	var gone, up []roster.Member
	var status []string
	for k := range f.dirty {
		if s := f.members[k]; s == "" {
			gone = append(gone, k)
		} else {
			up, status = append(up, k), append(status, string(s))
		}
	}
	if len(gone) > 0 {
		ws, acc := roster.UUIDs(gone)
		b.Queue("DELETE FROM "+table+" t USING unnest($1::uuid[], $2::uuid[]) k(ws, acc) WHERE t.workspace_id = k.ws AND t.account_id = k.acc", ws, acc)
	}
	if len(up) > 0 {
		ws, acc := roster.UUIDs(up)
		b.Queue("INSERT INTO "+table+` SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])
			ON CONFLICT (workspace_id, account_id) DO UPDATE SET status = excluded.status`, ws, acc, status)
	}
}

// queueDays merges the batch's days into the stored ones: a day an earlier batch saw keeps
// the higher peak; its level and plan at the end are the batch's.
func (f *fold) queueDays(b *pgx.Batch, schema string) {
	if len(f.days) == 0 {
		return
	}
	var ws [][16]byte
	var days []time.Time
	var maxUsed, endUsed, seats []int32
	for k, d := range f.days {
		ws, days = append(ws, k.ws), append(days, k.day)
		maxUsed, endUsed, seats = append(maxUsed, int32(d.maxUsed)), append(endUsed, int32(d.endUsed)), append(seats, int32(d.seats))
	}
	b.Queue(`INSERT INTO `+projections.Qualified(schema, dailyTable)+` AS t
		SELECT * FROM unnest($1::uuid[], $2::date[], $3::int[], $4::int[], $5::int[])
		ON CONFLICT (workspace_id, day) DO UPDATE SET max_used = GREATEST(t.max_used, excluded.max_used),
		end_used = excluded.end_used, seats = excluded.seats`, ws, days, maxUsed, endUsed, seats)
}
