package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// leaseName names the scheduler's one row in scheduler_state (migration
// 008_scheduler.sql): one scheduler runs per database.
const leaseName = "scheduler"

// errLeaseLost reports a lease that another instance took since this one renewed it.
var errLeaseLost = errors.New("scheduler lease lost")

// lease is this instance's hold on the scheduler row: epoch is 0 while it holds none.
type lease struct {
	pool  *pgxpool.Pool
	owner string
	ttl   time.Duration
	epoch int64
}

// hold renews the lease, or takes it when it is free or expired; it reports whether this
// instance holds it afterwards. Taking it raises the epoch, so that the previous holder's
// renewals and run records fail from then on.
func (l *lease) hold(ctx context.Context) (bool, error) {
	if l.epoch != 0 {
		tag, err := l.pool.Exec(ctx, `UPDATE scheduler_state SET lease_expires = now() + $3::interval
		WHERE name = $1 AND epoch = $2`, leaseName, l.epoch, l.ttl)
		if err != nil {
			return false, fmt.Errorf("renew the scheduler lease: %w", err)
		}
		if tag.RowsAffected() == 1 {
			return true, nil
		}
		l.epoch = 0
	}
	err := l.pool.QueryRow(ctx, `UPDATE scheduler_state SET epoch = epoch + 1, lease_owner = $2, lease_expires = now() + $3::interval
	WHERE name = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires < now()) RETURNING epoch`,
		leaseName, l.owner, l.ttl).Scan(&l.epoch)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("take the scheduler lease: %w", err)
	}
	return true, nil
}

// release gives the lease up, so that another instance need not wait for it to expire.
func (l *lease) release(ctx context.Context) {
	if l.epoch == 0 {
		return
	}
	_, _ = l.pool.Exec(ctx, `UPDATE scheduler_state SET lease_owner = NULL, lease_expires = NULL WHERE name = $1 AND epoch = $2`,
		leaseName, l.epoch)
	l.epoch = 0
}

// record stores what a run did, under the lease; errLeaseLost when it is gone.
func (l *lease) record(ctx context.Context, at time.Time, recorded int, runErr error) error {
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	tag, err := l.pool.Exec(ctx, `UPDATE scheduler_state SET last_run_at = $3, last_recorded = $4, last_error = $5
	WHERE name = $1 AND epoch = $2`, leaseName, l.epoch, at, recorded, msg)
	if err != nil {
		return fmt.Errorf("record the scheduler's run: %w", err)
	}
	if tag.RowsAffected() == 0 {
		l.epoch = 0
		return errLeaseLost
	}
	return nil
}
