package due

import (
	"accessledger/projections"
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// table is the table of the due read model.
const table = "scheduler_due"

// Kinds of due work, as the due read model names them.
const (
	// DueVisaExpiry is a visa's valid_until; ItemID is the category.
	DueVisaExpiry = "visa_expiry"
	// DueInvitationExpiry is an invitation's expiry.
	DueInvitationExpiry = "invitation_expiry"
	// DueMemberPurge is the end of a deleted member's restore window (domain.PurgeDue).
	DueMemberPurge = "member_purge"
	// DueWorkspacePurge is the end of a deleted workspace's restore window; AccountID is
	// the nil uuid.
	DueWorkspacePurge = "workspace_purge"
)

// Due is the read model of what time will do: one row per visa with an end, pending
// invitation, deleted member and deleted workspace, with the instant it falls due. The
// scheduler reads the rows due by now through the partial index on due_at, so that
// finding due work never scans the log or a table in full. A deleted invitee's
// invitation is held (it neither expires nor counts) until a restore brings it back; the
// work of a deleted workspace is paused likewise, all but its purge, since every command
// into it is refused until a restore.
type Due struct{}

// Name implements Projection.
func (Due) Name() string { return "due" }

// BatchInterval implements projections.Paced: the scheduler runs once a minute.
func (Due) BatchInterval() time.Duration { return projections.BackgroundInterval }

// Version implements Projection.
func (Due) Version() int { return 2 }

// Tables implements Projection.
func (Due) Tables() []string { return []string{table} }

// Setup implements Projection.
func (Due) Setup(ctx context.Context, tx pgx.Tx, schema string) error {
	ddl := fmt.Sprintf(`
CREATE TABLE %[1]s (
    workspace_id uuid        NOT NULL,
    account_id   uuid        NOT NULL,
    kind         text        NOT NULL,
    item_id      uuid        NOT NULL, -- the visa's category; the nil uuid otherwise
    due_at       timestamptz NOT NULL,
    held         boolean     NOT NULL DEFAULT false,
    paused       boolean     NOT NULL DEFAULT false, -- its workspace is deleted
    PRIMARY KEY (workspace_id, account_id, kind, item_id)
);
CREATE INDEX ON %[1]s (due_at) WHERE NOT held AND NOT paused;`, projections.Qualified(schema, table))
	if _, err := tx.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create due tables: %w", err)
	}
	return nil
}

// DueItem is one piece of work time does: Kind (DueVisaExpiry, ...) on the member
// AccountID of WorkspaceID, falling due at DueAt.
type DueItem struct {
	Kind        string
	WorkspaceID uuid.UUID
	AccountID   uuid.UUID
	ItemID      uuid.UUID
	DueAt       time.Time
}

// DueBy answers at most limit items due at or before now, earliest first.
func DueBy(ctx context.Context, q projections.Querier, now time.Time, limit int) (_ []DueItem, err error) {
	defer projections.ReadFailed(&err)
	rows, err := q.Query(ctx, `SELECT kind, workspace_id, account_id, item_id, due_at FROM `+projections.Qualified(projections.ReadSchema, table)+`
	WHERE NOT held AND NOT paused AND due_at <= $1 ORDER BY due_at LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("read due work: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (DueItem, error) {
		var d DueItem
		err := row.Scan(&d.Kind, &d.WorkspaceID, &d.AccountID, &d.ItemID, &d.DueAt)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("read due work: %w", err)
	}
	return items, nil
}

// DueCount answers how many items are due at or before now: the scheduler's backlog.
func DueCount(ctx context.Context, q projections.Querier, now time.Time) (_ int64, err error) {
	defer projections.ReadFailed(&err)
	var n int64
	err = q.QueryRow(ctx, `SELECT count(*) FROM `+projections.Qualified(projections.ReadSchema, table)+` WHERE NOT held AND NOT paused AND due_at <= $1`, now).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count due work: %w", err)
	}
	return n, nil
}
