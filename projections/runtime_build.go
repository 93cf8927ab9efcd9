package projections

import (
	"cmp"
	"context"
	"errors"
	"slices"
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
// tracked by wg; another instance's build under way is waited for. The projections
// are ready (see Ready) once installed, the never-run ones built here once their build
// has swapped in. An outage of the database is waited out, not answered.
func (r *Runtime) startInitialBuilds(ctx context.Context, wg *sync.WaitGroup) error {
	due, fresh, err := r.install(ctx)
	if err != nil {
		return err
	}
	if minimum := int64(cmp.Or(r.opts.InitialBuildMin, defaultInitialBuildMin)); len(fresh) > 0 {
		if n, err := countEvents(ctx, r.log, eventstore.Position{}, minimum); err == nil && n >= minimum {
			due = append(due, fresh...)
		} else {
			fresh = nil // caught up by their projectors, in the tables just installed
		}
	}
	for _, p := range r.projections {
		if !slices.ContainsFunc(fresh, func(f Projection) bool { return f.Name() == p.Name() }) {
			r.unready.done(p)
		}
	}
	if len(due) == 0 {
		return nil
	}
	opts := r.buildOptions()
	builds, err := startBuilds(ctx, r.pool, r.log, due, opts)
	if errors.Is(err, errUpToDate) {
		r.unready.done(fresh...)
		return nil
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err == nil {
			if _, err = finishBuilds(ctx, r.log, builds, opts); err == nil {
				r.unready.done(fresh...)
				return
			}
			if ctx.Err() != nil {
				return
			}
			r.opts.Logger.Error("initial build failed; trying again", "err", err)
		}
		r.buildInBackground(ctx, due)
		if ctx.Err() == nil {
			r.unready.done(fresh...)
		}
	}()
	return nil
}

// install creates the checkpoint row and first generation of every projection of the
// runtime that has none, waiting out an outage of the database. It answers the
// projections whose live tables were built by another version of their code, and
// those that never applied an event.
func (r *Runtime) install(ctx context.Context) (changed, fresh []Projection, err error) {
	for _, p := range r.projections {
		c, err := retryOutages(ctx, r.opts.Logger, "install projection", func() (checkpoint, error) {
			return ensureCheckpoint(ctx, r.pool, p)
		}, "projection", p.Name())
		if err != nil {
			return nil, nil, err
		}
		switch {
		case c.version != p.Version():
			r.opts.Logger.Info("projection version changed: rebuilding while the old tables serve",
				"projection", p.Name(), "from", c.version, "to", p.Version())
			changed = append(changed, p)
		case c.position.IsZero():
			fresh = append(fresh, p)
		}
	}
	return changed, fresh, nil
}

func (r *Runtime) buildOptions() RebuildOptions {
	return RebuildOptions{Logger: r.opts.Logger, Owner: r.sub.opts.Owner, initial: true}.withDefaults()
}

// buildInBackground builds due until a build swaps in what they need, this one or
// another instance's, which it waits for. After an outage it tries again soon.
func (r *Runtime) buildInBackground(ctx context.Context, due []Projection) {
	for ctx.Err() == nil {
		_, err := RebuildAll(ctx, r.pool, r.log, due, r.buildOptions())
		wait := r.sub.opts.LeaseTTL / 3
		switch {
		case err == nil, errors.Is(err, errUpToDate):
			return
		case errors.Is(err, ErrRebuildRunning):
			r.opts.Logger.Info("another instance is building projections; waiting", "err", err)
		case ctx.Err() == nil:
			if outage(err) {
				wait = min(wait, outageWaitMax)
			}
			r.opts.Logger.Error("initial build failed; trying again", "err", err, "in", wait.String())
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}
