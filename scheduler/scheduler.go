// Package scheduler records what time does as events: a visa expired at its end, an
// invitation expired unanswered, a deleted member purged after the restore window.
//
// It finds the due work in the due read model (projections.Due), never in the log, and
// runs it as commands of the system actor, one instance at a time across processes
// under a lease in PostgreSQL. Each command is decided at the instant the work fell due,
// so its events carry that instant as their time, and its command id derives from the
// work and that instant, so that a retry, or a second instance racing a lost lease,
// appends nothing twice.
package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/due"
)

// Commands are the app's scheduled commands the scheduler runs, as app.Service has them.
type Commands interface {
	ExpireVisas(ctx context.Context, meta app.Meta, ws, account uuid.UUID) (app.Result, error)
	ExpireInvitation(ctx context.Context, meta app.Meta, ws uuid.UUID, cmd domain.ExpireInvitation) (app.Result, error)
	PurgeMember(ctx context.Context, meta app.Meta, ws uuid.UUID, cmd domain.PurgeMember) (app.Result, error)
	PurgeWorkspace(ctx context.Context, meta app.Meta, ws uuid.UUID) (app.Result, error)
}

// Options tune a Scheduler. The zero value is ready to use.
type Options struct {
	// Interval is how long the scheduler waits between runs (default one minute).
	Interval time.Duration
	// LeaseTTL is how long the lease lasts without renewal (default three intervals):
	// how long work waits when its holder dies without releasing it.
	LeaseTTL time.Duration
	// Owner names this instance in the lease (default: a random id).
	Owner string
	// Now answers the time work is due by (default time.Now); tests move it.
	Now func() time.Time
	// BatchSize bounds the items one run records (default 1,000).
	BatchSize int
	// Logger receives what each run did (default slog.Default()).
	Logger *slog.Logger
}

// Scheduler runs due work. Create it with New; Run it in one goroutine.
type Scheduler struct {
	pool  *pgxpool.Pool
	cmds  Commands
	clock *decisionClock
	lease lease
	opts  Options
}

// New answers a Scheduler over pool. newCommands answers the commands it runs, deciding
// at the clock it is given: the scheduler sets that clock to each item's due instant, so
// the Commands must not be shared with other callers (an app.Service of its own).
func New(pool *pgxpool.Pool, newCommands func(clock func() time.Time) Commands, opts Options) *Scheduler {
	if opts.Interval <= 0 {
		opts.Interval = time.Minute
	}
	if opts.LeaseTTL <= 0 {
		opts.LeaseTTL = 3 * opts.Interval
	}
	if opts.Owner == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		opts.Owner = "scheduler-" + hex.EncodeToString(b)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	clock := &decisionClock{now: opts.Now}
	return &Scheduler{pool: pool, cmds: newCommands(clock.Now), clock: clock,
		lease: lease{pool: pool, owner: opts.Owner, ttl: opts.LeaseTTL}, opts: opts}
}

// Run runs due work every Interval until ctx ends,
// then gives the lease up. A failed run is logged and tried again at the next tick: the
// work stays due.
func (s *Scheduler) Run(ctx context.Context) error {
	defer s.Stop(context.WithoutCancel(ctx))
	tick := time.NewTicker(s.opts.Interval)
	defer tick.Stop()
	for {
		if _, _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			// Right after a start the due read model may not be installed yet: the next
			// run finds it, and an operator has nothing to do about it.
			level := slog.LevelWarn
			if errors.Is(err, projections.ErrNotReady) {
				level = slog.LevelDebug
			}
			s.opts.Logger.Log(ctx, level, "scheduler run failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// Stop gives the lease up, if this instance holds it.
func (s *Scheduler) Stop(ctx context.Context) { s.lease.release(ctx) }

// RunOnce takes or renews the lease and, holding it, records the items due by now, at
// most BatchSize of them (the rest wait for the next run). It answers how many items
// have events (this run's, or an earlier run's that the read model has not seen yet)
// and whether this instance held the lease.
func (s *Scheduler) RunOnce(ctx context.Context) (recorded int, held bool, err error) {
	if held, err = s.lease.hold(ctx); err != nil || !held {
		return 0, held, err
	}
	now := s.opts.Now()
	recorded, err = s.runDue(ctx, now)
	if recErr := s.lease.record(ctx, now, recorded, err); recErr != nil {
		return recorded, !errors.Is(recErr, errLeaseLost), errors.Join(err, recErr)
	}
	if recorded > 0 || err != nil {
		s.opts.Logger.Info("scheduler ran", "recorded", recorded, "err", err)
	}
	return recorded, true, err
}

// runDue records one batch of the items due by now, earliest first. One batch per run:
// items the read model still shows after their events were appended come back until it
// catches up, and must not keep a run going.
func (s *Scheduler) runDue(ctx context.Context, now time.Time) (int, error) {
	items, err := due.DueBy(ctx, s.pool, now, s.opts.BatchSize)
	if err != nil {
		return 0, err
	}
	recorded := 0
	for _, item := range items {
		done, err := s.run(ctx, item)
		if err != nil {
			return recorded, fmt.Errorf("%s of %s in %s: %w", item.Kind, item.AccountID, item.WorkspaceID, err)
		}
		if done {
			recorded++
		}
	}
	return recorded, nil
}
