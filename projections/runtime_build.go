package projections

import (
	"cmp"
	"context"
	"errors"
	"sync"
	"time"

	"accessledger/eventstore"
)

// defaultInitialBuildMin is the default of Options.InitialBuildMin. The rebuild's
// machinery (one read of the log for every projection, query indexes built once,
// continuity checked once) builds a large log's projections several times faster than
// their projectors catch up.
const defaultInitialBuildMin = 10_000

// startInitialBuilds installs the runtime's projections and claims, before any
// projector starts, the build of those that need one: a new version (the old tables
// serve meanwhile) or never run over a log of initialBuildMin events or more (their
// projectors wait for the build; see acquireLease). The builds run in the background,
// tracked by wg; another instance's build under way is waited for.
func (r *Runtime) startInitialBuilds(ctx context.Context, wg *sync.WaitGroup) error {
	var due []Projection
	var fresh []Projection
	for _, p := range r.projections {
		c, err := ensureCheckpoint(ctx, r.pool, p)
		if err != nil {
			return err
		}
		switch {
		case c.version != p.Version():
			r.opts.Logger.Info("projection version changed: rebuilding while the old tables serve",
				"projection", p.Name(), "from", c.version, "to", p.Version())
			due = append(due, p)
		case c.position.IsZero():
			fresh = append(fresh, p)
		}
	}
	if minimum := int64(cmp.Or(r.opts.InitialBuildMin, defaultInitialBuildMin)); len(fresh) > 0 {
		if n, err := countEvents(ctx, r.log, eventstore.Position{}, minimum); err == nil && n >= minimum {
			due = append(due, fresh...)
		}
	}
	if len(due) == 0 {
		return nil
	}
	opts := r.buildOptions()
	builds, err := startBuilds(ctx, r.pool, r.log, due, opts)
	if errors.Is(err, errUpToDate) {
		return nil
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err == nil {
			if _, err = finishBuilds(ctx, r.log, builds, opts); err == nil || ctx.Err() != nil {
				return
			}
			r.opts.Logger.Error("initial build failed; trying again", "err", err)
		}
		r.buildInBackground(ctx, due)
	}()
	return nil
}

func (r *Runtime) buildOptions() RebuildOptions {
	return RebuildOptions{Logger: r.opts.Logger, Owner: r.sub.opts.Owner, initial: true}.withDefaults()
}

// buildInBackground builds due until a build swaps in what they need, this one or
// another instance's, which it waits for.
func (r *Runtime) buildInBackground(ctx context.Context, due []Projection) {
	wait := r.sub.opts.LeaseTTL / 3
	for ctx.Err() == nil {
		_, err := RebuildAll(ctx, r.pool, r.log, due, r.buildOptions())
		switch {
		case err == nil, errors.Is(err, errUpToDate):
			return
		case errors.Is(err, ErrRebuildRunning):
			r.opts.Logger.Info("another instance is building projections; waiting", "err", err)
		case ctx.Err() == nil:
			r.opts.Logger.Error("initial build failed; trying again", "err", err, "in", wait.String())
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}
