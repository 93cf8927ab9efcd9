package licenses

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/members"
	"accessledger/projections/roster"
)

// workspaceCounts is a workspace's seats and member counts.
type workspaceCounts struct {
	seats     int
	counts    map[domain.MemberStatus]int
	updatedAt time.Time
}

// used answers the seats in use.
func (w *workspaceCounts) used() int {
	return w.counts[domain.StatusInvited] + w.counts[domain.StatusActive] + w.counts[domain.StatusSuspended]
}

// dayKey names one UTC day of one workspace.
type dayKey struct {
	ws  uuid.UUID
	day time.Time
}

// dayUse is what a batch saw of one day: the peak, and the level and plan at the
// last change.
type dayUse struct {
	maxUsed, endUsed, seats int
}

// fold is a batch folded in memory: the final state of every row it touches.
type fold struct {
	workspaces map[uuid.UUID]*workspaceCounts // prefetched or created; absent: unknown workspace
	dirtyWS    map[uuid.UUID]bool
	members    map[roster.Member]domain.MemberStatus // "": not on the roster
	dirty      map[roster.Member]bool
	days       map[dayKey]*dayUse
}

// Apply implements Projection: it prefetches the workspaces and members the batch
// touches (one pipelined round trip), folds the batch in memory, then writes every
// touched row with one pipelined batch of set-wise statements.
func (Licenses) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	f := newLicensesFold()
	if err := f.load(ctx, tx, schema, batch); err != nil {
		return err
	}
	f.applyAll(batch)
	return f.write(ctx, tx, schema)
}

func newLicensesFold() *fold {
	return &fold{workspaces: map[uuid.UUID]*workspaceCounts{}, dirtyWS: map[uuid.UUID]bool{},
		members: map[roster.Member]domain.MemberStatus{}, dirty: map[roster.Member]bool{}, days: map[dayKey]*dayUse{}}
}

func (f *fold) applyAll(batch []projections.Envelope) {
	for i := range batch {
		if ws, ok := batch[i].WorkspaceStream(); ok {
			f.apply(ws, &batch[i])
		}
	}
}

func (f *fold) write(ctx context.Context, tx pgx.Tx, schema string) error {
	b := &pgx.Batch{}
	f.queue(b, schema)
	return projections.SendLast(ctx, tx, b, "write licenses")
}

// NewBulk implements BulkBuilder: the fold of one batch as big as the catch-up.
func (Licenses) NewBulk() projections.BulkFold {
	f := newLicensesFold()
	return &projections.HeldFold{Apply: f.applyAll, Size: func() int { return len(f.members) + len(f.days) }, Write: f.write}
}

// load prefetches the workspaces and member statuses of the batch's workspace streams.
func (f *fold) load(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	seen := map[uuid.UUID]bool{}
	var wss []uuid.UUID
	var keys []roster.Member
	for i := range batch {
		ws, ok := batch[i].WorkspaceStream()
		if !ok {
			continue
		}
		if !seen[ws] {
			seen[ws] = true
			wss = append(wss, ws)
		}
		if account, _, _, ok := step(batch[i].Payload); ok {
			keys = append(keys, roster.Member{WS: ws, Account: account})
		}
	}
	if len(wss) == 0 {
		return nil
	}
	ws, acc := roster.UUIDs(keys)
	b := &pgx.Batch{}
	b.Queue(`SELECT workspace_id, seats, invited, pending, active, suspended, deactivated, deleted, updated_at FROM `+
		projections.Qualified(schema, workspacesTable)+` WHERE workspace_id = ANY($1::uuid[])`, roster.IDs(wss)).Query(func(rows pgx.Rows) error {
		var id uuid.UUID
		var w workspaceCounts
		var n [6]int
		_, err := pgx.ForEachRow(rows, []any{&id, &w.seats, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &w.updatedAt}, func() error {
			f.workspaces[id] = &workspaceCounts{seats: w.seats, updatedAt: w.updatedAt, counts: counts(n)}
			return nil
		})
		return err
	})
	b.Queue(`SELECT t.workspace_id, t.account_id, t.status FROM `+projections.Qualified(schema, membersTable)+
		` t JOIN unnest($1::uuid[], $2::uuid[]) k(ws, acc) ON t.workspace_id = k.ws AND t.account_id = k.acc`, ws, acc).Query(func(rows pgx.Rows) error {
		var k roster.Member
		var s domain.MemberStatus
		_, err := pgx.ForEachRow(rows, []any{&k.WS, &k.Account, &s}, func() error { f.members[k] = s; return nil })
		return err
	})
	if err := projections.SendBatch(ctx, tx, b, "read licenses the batch changes"); err != nil {
		return err
	}
	return nil
}

// countedStatuses are the statuses counted, in the order of the table's columns.
var countedStatuses = [6]domain.MemberStatus{domain.StatusInvited, domain.StatusPending, domain.StatusActive,
	domain.StatusSuspended, domain.StatusDeactivated, domain.StatusDeleted}

func counts(n [6]int) map[domain.MemberStatus]int {
	counts := map[domain.MemberStatus]int{}
	for i, s := range countedStatuses {
		counts[s] = n[i]
	}
	return counts
}

// apply folds one event of ws's stream.
func (f *fold) apply(ws uuid.UUID, env *projections.Envelope) {
	at := members.EventTime(env)
	w := f.workspaces[ws]
	switch e := env.Payload.(type) {
	case domain.WorkspaceCreated:
		if w != nil {
			return // the domain ignores a second creation
		}
		w = &workspaceCounts{seats: e.Seats, counts: map[domain.MemberStatus]int{}}
		f.workspaces[ws] = w
		f.change(ws, w, at, func() { f.move(w, roster.Member{WS: ws, Account: e.OwnerAccountID}, domain.StatusActive) })
		return
	case domain.PlanChanged:
		if w != nil {
			f.change(ws, w, at, func() { w.seats = e.Seats })
		}
		return
	}
	if w == nil {
		return // nothing happens in a workspace before its creation
	}
	account, next, creates, ok := step(env.Payload)
	if !ok {
		return
	}
	k := roster.Member{WS: ws, Account: account}
	if cur := f.members[k]; (cur != "" || creates) && next != cur {
		f.change(ws, w, at, func() { f.move(w, k, next) })
	}
}

// change applies a change to w at time at, keeping the day's peak: the first change of a
// day starts the day's peak at the level before it, which held since midnight.
func (f *fold) change(ws uuid.UUID, w *workspaceCounts, at time.Time, do func()) {
	k := dayKey{ws: ws, day: day(at)}
	d := f.days[k]
	if d == nil {
		d = &dayUse{maxUsed: w.used()}
		f.days[k] = d
	}
	do()
	d.maxUsed, d.endUsed, d.seats = max(d.maxUsed, w.used()), w.used(), w.seats
	w.updatedAt = at
	f.dirtyWS[ws] = true
}

// move changes a member's status, and the counts with it.
func (f *fold) move(w *workspaceCounts, k roster.Member, next domain.MemberStatus) {
	if cur := f.members[k]; cur != "" {
		w.counts[cur]--
	}
	if next != "" {
		w.counts[next]++
	}
	f.members[k] = next
	f.dirty[k] = true
}

// step answers the member a roster event concerns and its status after the event
// ("" when it leaves the roster; purged members leave the counts too). creates tells
// whether the event applies to an account not on the roster; the domain ignores the
// others for such accounts. ok is false for events that change no member's status.
func step(e domain.Event) (account uuid.UUID, next domain.MemberStatus, creates, ok bool) {
	switch e := e.(type) {
	case domain.MemberInvited:
		return e.AccountID, domain.StatusInvited, true, true
	case domain.AccessRequested:
		return e.AccountID, domain.StatusPending, true, true
	case domain.InvitationRevoked:
		return e.AccountID, "", false, true
	case domain.InvitationExpired:
		return e.AccountID, "", false, true
	case domain.AccessRejected:
		return e.AccountID, "", false, true
	case domain.MemberPurged:
		return e.AccountID, "", false, true
	case domain.InvitationAccepted:
		return e.AccountID, domain.StatusActive, false, true
	case domain.AccessApproved:
		return e.AccountID, domain.StatusActive, false, true
	case domain.LicenseDeactivated:
		return e.AccountID, domain.StatusDeactivated, false, true
	case domain.LicenseReactivated:
		return e.AccountID, domain.StatusActive, false, true
	case domain.MemberSuspended:
		return e.AccountID, domain.StatusSuspended, false, true
	case domain.MemberReinstated:
		return e.AccountID, domain.StatusActive, false, true
	case domain.MemberDeleted:
		return e.AccountID, domain.StatusDeleted, false, true
	case domain.MemberRestored:
		return e.AccountID, e.Status, false, true
	}
	return uuid.Nil, "", false, false
}
