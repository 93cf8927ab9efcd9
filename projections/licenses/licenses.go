package licenses

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
)

// Tables of the licenses read model.
const (
	workspacesTable = "licenses_workspaces"
	membersTable    = "licenses_members"
	dailyTable      = "licenses_daily"
)

// Licenses is the read model of license seats: per workspace the plan's seats and the
// members by status (invited, active and suspended members hold a seat), and per UTC day
// the highest number of seats in use that day, for billing.
type Licenses struct{}

// Name implements Projection.
func (Licenses) Name() string { return "licenses" }

// BatchInterval implements projections.Paced: seat counts and their history are read by people.
func (Licenses) BatchInterval() time.Duration { return projections.BackgroundInterval }

// Version implements Projection.
func (Licenses) Version() int { return 1 }

// Tables implements Projection.
func (Licenses) Tables() []string {
	return []string{workspacesTable, membersTable, dailyTable}
}

// Setup implements Projection. licenses_members keeps each member's status, which the
// counts move from; licenses_daily keeps, per day with a change, the day's peak, the level
// at its end (carried into the following days without changes) and the plan's seats then.
func (Licenses) Setup(ctx context.Context, tx pgx.Tx, schema string) error {
	ddl := fmt.Sprintf(`
CREATE TABLE %[1]s (
    workspace_id uuid        PRIMARY KEY,
    seats        integer     NOT NULL,
    invited      integer     NOT NULL,
    pending      integer     NOT NULL,
    active       integer     NOT NULL,
    suspended    integer     NOT NULL,
    deactivated  integer     NOT NULL,
    deleted      integer     NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE TABLE %[2]s (
    workspace_id uuid NOT NULL,
    account_id   uuid NOT NULL,
    status       text NOT NULL,
    PRIMARY KEY (workspace_id, account_id)
);
CREATE TABLE %[3]s (
    workspace_id uuid    NOT NULL,
    day          date    NOT NULL,
    max_used     integer NOT NULL,
    end_used     integer NOT NULL,
    seats        integer NOT NULL,
    PRIMARY KEY (workspace_id, day)
);`, projections.Qualified(schema, workspacesTable), projections.Qualified(schema, membersTable), projections.Qualified(schema, dailyTable))
	if _, err := tx.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create licenses tables: %w", err)
	}
	return nil
}

// LicenseSummary is a workspace's license seats as GetLicenses answers them.
type LicenseSummary struct {
	WorkspaceID uuid.UUID
	Seats       int // the plan's seats
	Used        int // members holding a seat: invited, active, suspended
	Available   int // Seats - Used, never below zero
	// ByStatus counts the members in each status but purged: invited, pending, active,
	// suspended, deactivated, deleted (zero included).
	ByStatus  map[domain.MemberStatus]int
	UpdatedAt time.Time // of the last change
}

// DailyUsage is one UTC day of seat usage: the highest number of seats used that day and
// the plan's seats at the day's end.
type DailyUsage struct {
	Day       time.Time // midnight UTC
	SeatsUsed int
	Seats     int
}

// SeatUsageMaxDays bounds the range of SeatUsage.
const SeatUsageMaxDays = 3660

// GetLicenses answers the seats of ws; false when the workspace is unknown.
func GetLicenses(ctx context.Context, q projections.Querier, ws uuid.UUID) (_ LicenseSummary, _ bool, err error) {
	defer projections.ReadFailed(&err)
	l := LicenseSummary{WorkspaceID: ws}
	var invited, pending, active, suspended, deactivated, deleted int
	err = q.QueryRow(ctx, `SELECT seats, invited, pending, active, suspended, deactivated, deleted, updated_at FROM `+
		projections.Qualified(projections.ReadSchema, workspacesTable)+` WHERE workspace_id = $1`, ws).
		Scan(&l.Seats, &invited, &pending, &active, &suspended, &deactivated, &deleted, &l.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return LicenseSummary{}, false, nil
	}
	if err != nil {
		return LicenseSummary{}, false, fmt.Errorf("read licenses of %s: %w", ws, err)
	}
	l.ByStatus = map[domain.MemberStatus]int{domain.StatusInvited: invited, domain.StatusPending: pending, domain.StatusActive: active,
		domain.StatusSuspended: suspended, domain.StatusDeactivated: deactivated, domain.StatusDeleted: deleted}
	l.Used = invited + active + suspended
	l.Available = max(l.Seats-l.Used, 0)
	l.UpdatedAt = l.UpdatedAt.UTC()
	return l, true, nil
}

// SeatUsage answers one DailyUsage per UTC day from the day of from through the day of to,
// both included, leaving out days before the workspace existed. A day without changes
// carries the level at the end of the last day with one. to before from, or a range of
// more than SeatUsageMaxDays days, answers an error wrapping ErrInvalidQuery.
func SeatUsage(ctx context.Context, q projections.Querier, ws uuid.UUID, from, to time.Time) (_ []DailyUsage, err error) {
	defer projections.ReadFailed(&err)
	first, last := day(from), day(to)
	if last.Before(first) {
		return nil, &projections.QueryError{Field: "to", Message: "must not be before from"}
	}
	if last.Sub(first) >= SeatUsageMaxDays*24*time.Hour {
		return nil, &projections.QueryError{Field: "to", Message: fmt.Sprintf("must be less than %d days after from", SeatUsageMaxDays)}
	}
	// For each day, the latest day with a change up to it: its peak when it is that day,
	// else the level its end carried forward.
	rows, err := q.Query(ctx, `SELECT d.day, CASE WHEN u.day = d.day THEN u.max_used ELSE u.end_used END, u.seats
	FROM (SELECT g::date AS day FROM generate_series($2::date, $3::date, interval '1 day') g) d
	CROSS JOIN LATERAL (SELECT x.day, x.max_used, x.end_used, x.seats FROM `+projections.Qualified(projections.ReadSchema, dailyTable)+` x
	                    WHERE x.workspace_id = $1 AND x.day <= d.day ORDER BY x.day DESC LIMIT 1) u
	ORDER BY d.day`, ws, first, last)
	if err != nil {
		return nil, fmt.Errorf("read seat usage of %s: %w", ws, err)
	}
	out := []DailyUsage{}
	var u DailyUsage
	_, err = pgx.ForEachRow(rows, []any{&u.Day, &u.SeatsUsed, &u.Seats}, func() error {
		u.Day = time.Date(u.Day.Year(), u.Day.Month(), u.Day.Day(), 0, 0, 0, 0, time.UTC)
		out = append(out, u)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read seat usage of %s: %w", ws, err)
	}
	return out, nil
}

// day answers the UTC day of t, at midnight.
func day(t time.Time) time.Time {
	u := t.UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
}
