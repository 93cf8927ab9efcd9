package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/internal/pgerr"
	"accessledger/projections"
	"accessledger/projections/due"
)

// Status is what an operator sees of the scheduler.
type Status struct {
	// LeaseOwner is the instance running the scheduler ("" when none holds the lease).
	LeaseOwner string `json:"lease_owner,omitempty"`
	// LastRunAt is the time of the last run (nil before the first); LastRecorded how
	// many due items it recorded, LastError why it stopped short ("" when it did not).
	LastRunAt    *time.Time `json:"last_run_at,omitempty"`
	LastRecorded int64      `json:"last_recorded"`
	LastError    string     `json:"last_error,omitempty"`
	// Backlog counts the items due by now and not yet recorded (as far as the due read
	// model has seen).
	Backlog int64 `json:"backlog"`
}

// ReadStatus answers the scheduler's status at now. A database where no scheduler ever
// ran answers the zero Status with the backlog.
func ReadStatus(ctx context.Context, pool *pgxpool.Pool, now time.Time) (Status, error) {
	var st Status
	var owner *string
	var expires *time.Time
	err := pool.QueryRow(ctx, `SELECT lease_owner, lease_expires, last_run_at, last_recorded, last_error FROM scheduler_state WHERE name = $1`,
		leaseName).Scan(&owner, &expires, &st.LastRunAt, &st.LastRecorded, &st.LastError)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) && !pgerr.Undefined(err) {
		return st, fmt.Errorf("read the scheduler's state: %w", err)
	}
	if owner != nil && expires != nil && expires.After(now) {
		st.LeaseOwner = *owner
	}
	// Before the due read model is installed nothing can be known to be due.
	if st.Backlog, err = due.DueCount(ctx, pool, now); err != nil && !errors.Is(err, projections.ErrNotReady) {
		return st, fmt.Errorf("scheduler backlog: %w", err)
	}
	return st, nil
}
