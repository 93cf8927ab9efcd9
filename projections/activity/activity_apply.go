package activity

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/members"
	"accessledger/projections/roster"
)

// columns are the columns of activity_log in the order CopyFrom writes them.
var columns = []string{"workspace_id", "position", "event_id", "stream", "version", "event_type", "occurred_at",
	"actor", "actor_id", "account_id", "other_id", "reason", "summary"}

// fold is a batch folded in memory: the log rows it appends and the catalog
// names it defines.
type fold struct {
	names     map[roster.Member]string // (workspace, item) -> name, prefetched and defined
	defined   []roster.Member          // defined in the batch, in order
	isDefined map[roster.Member]bool
	rows      [][]any
}

// Apply implements Projection: one query prefetches the catalog names the batch's events
// mention, the batch's definitions are upserted with one statement, and its log rows are
// appended with one CopyFrom.
func (Activity) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	f := newActivityFold()
	if err := f.load(ctx, tx, schema, batch); err != nil {
		return err
	}
	f.applyAll(batch)
	if err := f.writeCatalog(ctx, tx, schema); err != nil {
		return err
	}
	return f.writeRows(ctx, tx, schema)
}

func newActivityFold() *fold {
	return &fold{names: map[roster.Member]string{}, isDefined: map[roster.Member]bool{}}
}

func (f *fold) applyAll(batch []projections.Envelope) {
	for i := range batch {
		f.apply(&batch[i])
	}
}

// writeCatalog upserts the names the fold defined.
func (f *fold) writeCatalog(ctx context.Context, tx pgx.Tx, schema string) error {
	if len(f.defined) == 0 {
		return nil
	}
	ws, ids := roster.UUIDs(f.defined)
	names := make([]string, len(f.defined))
	for i, k := range f.defined {
		names[i] = f.names[k]
	}
	if _, err := tx.Exec(ctx, `INSERT INTO `+projections.Qualified(schema, catalogTable)+` SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])
		ON CONFLICT (workspace_id, item_id) DO UPDATE SET name = excluded.name`, ws, ids, names); err != nil {
		return fmt.Errorf("write activity catalog: %w", err)
	}
	return nil
}

// writeRows appends the log rows the fold made, and forgets them.
func (f *fold) writeRows(ctx context.Context, tx pgx.Tx, schema string) error {
	if len(f.rows) == 0 {
		return nil
	}
	if err := projections.AppendRows(ctx, tx, &pgx.Batch{}, schema, projections.TableRows{Table: logTable, Columns: columns, Rows: f.rows}); err != nil {
		return fmt.Errorf("append activity log: %w", err)
	}
	f.rows = f.rows[:0]
	return nil
}

// NewBulk implements BulkBuilder: the catalog names stay in memory, so that no batch
// reads them back, and are written at the flush; log rows are appended batch by batch.
func (Activity) NewBulk() projections.BulkFold { return &bulk{f: newActivityFold()} }

type bulk struct{ f *fold }

// Add implements projections.BulkFold.
func (b *bulk) Add(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	b.f.applyAll(batch)
	return b.f.writeRows(ctx, tx, schema)
}

// Held implements projections.BulkFold.
func (b *bulk) Held() int { return len(b.f.names) }

// Flush implements projections.BulkFold.
func (b *bulk) Flush(ctx context.Context, tx pgx.Tx, schema string) error {
	return b.f.writeCatalog(ctx, tx, schema)
}

// workspaceOf answers the workspace whose log an event belongs to: that of its
// workspace stream or member stream.
func workspaceOf(env *projections.Envelope) (uuid.UUID, bool) {
	ref, ok := env.StreamRef()
	if !ok || (ref.Kind != domain.StreamKindWorkspace && ref.Kind != domain.StreamKindMember) {
		return uuid.Nil, false
	}
	return ref.WorkspaceID, true
}

// load prefetches the names of the catalog items the batch's events refer to by id.
func (f *fold) load(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	var refs []roster.Member
	for i := range batch {
		if ws, ok := workspaceOf(&batch[i]); ok {
			for _, id := range catalogRefs(batch[i].Payload) {
				refs = append(refs, roster.Member{WS: ws, Account: id})
			}
		}
	}
	if len(refs) == 0 {
		return nil
	}
	ws, ids := roster.UUIDs(refs)
	rows, err := tx.Query(ctx, `SELECT c.workspace_id, c.item_id, c.name FROM `+projections.Qualified(schema, catalogTable)+
		` c JOIN (SELECT DISTINCT * FROM unnest($1::uuid[], $2::uuid[])) k(ws, id) ON c.workspace_id = k.ws AND c.item_id = k.id`, ws, ids)
	if err != nil {
		return fmt.Errorf("read activity catalog: %w", err)
	}
	var k roster.Member
	var name string
	if _, err := pgx.ForEachRow(rows, []any{&k.WS, &k.Account, &name}, func() error { f.names[k] = name; return nil }); err != nil {
		return fmt.Errorf("read activity catalog: %w", err)
	}
	return nil
}

// catalogRefs answers the catalog items an event names by id only.
func catalogRefs(e domain.Event) []uuid.UUID {
	switch e := e.(type) {
	case domain.ProjectArchived:
		return []uuid.UUID{e.ProjectID}
	case domain.BookingCategoryRetired:
		return []uuid.UUID{e.CategoryID}
	case domain.VisaRetired:
		return []uuid.UUID{e.VisaID}
	case domain.ClientRetired:
		return []uuid.UUID{e.ClientID}
	case domain.ProjectRoleAssigned:
		return []uuid.UUID{e.ProjectID}
	case domain.ProjectRoleRemoved:
		return []uuid.UUID{e.ProjectID}
	case domain.VisaGranted:
		return []uuid.UUID{e.VisaID, e.CategoryID}
	case domain.VisaRevoked:
		return []uuid.UUID{e.CategoryID}
	case domain.VisaExpired:
		return []uuid.UUID{e.CategoryID}
	case domain.ClientLinked:
		return []uuid.UUID{e.ClientID}
	case domain.ClientUnlinked:
		return []uuid.UUID{e.ClientID}
	}
	return nil
}

// apply appends the log row of one event of a workspace or member stream.
func (f *fold) apply(env *projections.Envelope) {
	ws, ok := workspaceOf(env)
	if !ok {
		return
	}
	f.define(ws, env.Payload)
	line := summarize(env.Payload, func(id uuid.UUID) string {
		if name, ok := f.names[roster.Member{WS: ws, Account: id}]; ok {
			return lit(quote(name))
		}
		return id.String()
	})
	actor := env.Metadata.Actor
	if actor == "" {
		actor = "system"
	}
	var actorID pgtype.UUID
	if id, err := uuid.Parse(actor); err == nil {
		actorID = pgtype.UUID{Bytes: id, Valid: true}
	}
	reason := env.Metadata.Reason
	if s, ok := env.Payload.(domain.MemberSuspended); ok && reason == "" {
		reason = s.Reason // the suspension's own reason, when the command gave no other
	}
	f.rows = append(f.rows, []any{[16]byte(ws), env.Position.String(), [16]byte(env.ID), env.Stream, env.Version, env.Type, members.EventTime(env),
		actor, actorID, optID(line.member), optID(line.other), reason, line.summary})
}

// define records the name of a catalog item the event defines.
func (f *fold) define(ws uuid.UUID, e domain.Event) {
	var id uuid.UUID
	var name string
	switch e := e.(type) {
	case domain.ProjectCreated:
		id, name = e.ProjectID, e.Name
	case domain.BookingCategoryDefined:
		id, name = e.CategoryID, e.Name
	case domain.VisaDefined:
		id, name = e.VisaID, e.Name
	case domain.ClientRegistered:
		id, name = e.ClientID, e.Name
	default:
		return
	}
	k := roster.Member{WS: ws, Account: id}
	if !f.isDefined[k] {
		f.isDefined[k] = true
		f.defined = append(f.defined, k)
	}
	f.names[k] = name
}

func optID(id uuid.UUID) pgtype.UUID {
	return pgtype.UUID{Bytes: id, Valid: id != uuid.Nil}
}
