package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
)

// ErrRebuildRunning reports a rebuild of a projection that another rebuild (in this
// process or another) is already building.
var ErrRebuildRunning = errors.New("a rebuild of this projection is already under way")

// ErrMismatch reports a rebuild whose tables differ from the live ones although the
// projection's version did not change: a bug (or non-determinism) to look at. The live
// tables keep serving.
var ErrMismatch = errors.New("rebuilt tables differ from the live ones")

// errRebuildLost reports a rebuild whose claim was taken over (it stalled past its
// lease) or cleared: it must stop without swapping.
var errRebuildLost = errors.New("rebuild claim lost")

// errUpToDate tells a background rebuild that the live tables already have the code's
// version: another instance rebuilt them.
var errUpToDate = errors.New("projection already at this version")

// rebuildTTL is how long a rebuild's claim lasts without a batch: the time another
// rebuild waits to take over after this one died.
const rebuildTTL = 30 * time.Second

// RebuildOptions tune Rebuild. The zero value is ready to use.
type RebuildOptions struct {
	// BatchSize is the number of events applied per transaction (default 2000).
	BatchSize int
	// Force swaps even when the rebuilt tables differ from the live ones.
	Force bool
	// Progress, when set, is called after every batch and once at the end (Done).
	Progress func(RebuildProgress)
	Logger   *slog.Logger
	// Owner names this rebuilder in the checkpoint (default: a random id).
	Owner string
	// bulkMaxHeld overrides bulkMaxHeld, for tests (0: bulkMaxHeld).
	bulkMaxHeld int
	// initial makes the rebuild of a projection whose live tables have the code's
	// version and have applied events fail with errUpToDate instead: the build of
	// serve's start-up, for new versions and never-run projections only.
	initial bool
}

func (o RebuildOptions) withDefaults() RebuildOptions {
	if o.BatchSize <= 0 {
		o.BatchSize = 2000
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.bulkMaxHeld <= 0 {
		o.bulkMaxHeld = bulkMaxHeld
	}
	if o.Owner == "" {
		o.Owner = "rebuild-" + watermill.NewShortUUID()
	}
	return o
}

// RebuildProgress is how far a rebuild got.
type RebuildProgress struct {
	Projection string
	// Applied counts the events applied so far; Total estimates the events to apply
	// (the log up to the target at the start), so Applied may pass it.
	Applied, Total int64
	Elapsed        time.Duration
	Done           bool
}

// RebuildResult describes a finished rebuild.
type RebuildResult struct {
	Projection string
	Generation int
	Version    int
	Events     int64
	Elapsed    time.Duration
	Position   eventstore.Position
	// Compared tells whether the rebuilt tables were checked equal to the live ones
	// before the swap (done when the version did not change and the live projection
	// had not failed).
	Compared bool
}

// Rebuild builds p's tables anew from the start of log into a new generation while the
// live tables keep serving, catches up, compares them with the live tables when that is
// meaningful, and swaps them in atomically; see RebuildAll.
func Rebuild(ctx context.Context, pool *pgxpool.Pool, log eventstore.LogReader, p Projection, opts RebuildOptions) (RebuildResult, error) {
	results, err := RebuildAll(ctx, pool, log, []Projection{p}, opts)
	if len(results) == 1 {
		return results[0], err
	}
	return RebuildResult{Projection: p.Name()}, err
}

// RebuildAll rebuilds ps together, reading and decoding the log once for all of them.
// Each is built into a new generation schema while its live tables keep serving.
//
// A projection whose live tables have the same version and did not fail is built up to
// its live checkpoint; in the transaction of the swap, which holds the live projector
// off, the new tables are compared with the live ones at the same position, and a
// difference fails with ErrMismatch (unless opts.Force) and leaves the live tables in
// place. Any other projection (new version, failed) is built up to the head of the log
// and swapped in without a comparison. The swap repoints the rm views and the
// checkpoint at the new generation in one transaction, so readers see the old tables
// or the new, never a half-built one; the live projector resumes on the new generation.
// The swaps run side by side; on failure, what was not swapped in is dropped and the
// errors are joined. Results are those of the swapped projections, in the order of ps.
func RebuildAll(ctx context.Context, pool *pgxpool.Pool, log eventstore.LogReader, ps []Projection, opts RebuildOptions) ([]RebuildResult, error) {
	wait, err := StartRebuild(ctx, pool, log, ps, opts)
	if err != nil {
		return nil, err
	}
	return wait()
}

// startBuilds claims the rebuild of each of ps and creates its new generation; on
// failure it abandons what it claimed. With opts.initial it leaves out the projections
// that need no build, and fails with errUpToDate when none does.
func startBuilds(ctx context.Context, pool *pgxpool.Pool, log eventstore.LogReader, ps []Projection, opts RebuildOptions) ([]*build, error) {
	builds := make([]*build, 0, len(ps))
	for _, p := range ps {
		b, err := startBuild(ctx, pool, log, p, opts)
		if opts.initial && errors.Is(err, errUpToDate) {
			continue
		}
		if err != nil {
			for _, b := range builds {
				b.abandon(ctx)
			}
			return nil, fmt.Errorf("rebuild %s: %w", p.Name(), err)
		}
		builds = append(builds, b)
	}
	if len(builds) == 0 && opts.initial {
		return nil, errUpToDate
	}
	return builds, nil
}

// finishBuilds catches the builds up and swaps them in; it abandons those it could not
// swap in.
func finishBuilds(ctx context.Context, log eventstore.LogReader, builds []*build, opts RebuildOptions) ([]RebuildResult, error) {
	defer func() {
		for _, b := range builds {
			if !b.swapped {
				b.abandon(ctx)
			}
		}
	}()
	versions := newStreamTracker()
	if err := catchUp(ctx, log, builds, versions, opts.BatchSize); err != nil {
		return nil, err
	}
	if err := eachBuild(ctx, builds, func(ctx context.Context, b *build) error {
		// The stream versions go in before the indexes come back, as the bulk did.
		if err := b.writeStreamVersions(ctx, versions); err != nil {
			return err
		}
		if err := b.endBulk(ctx); err != nil {
			return fmt.Errorf("rebuild %s: %w", b.p.Name(), err)
		}
		if err := createQueryIndexes(ctx, b.pool, b.p, b.schema); err != nil {
			return err
		}
		return analyze(ctx, b.pool, b.p, b.schema)
	}); err != nil {
		return nil, err
	}
	// The swaps are independent: each locks its own checkpoint, and one that fails (a
	// mismatch) leaves the others swapped in.
	results := make([]RebuildResult, len(builds))
	errs := make([]error, len(builds))
	_ = eachBuild(ctx, builds, func(ctx context.Context, b *build) error {
		i := slices.Index(builds, b)
		if results[i], errs[i] = b.swap(ctx); errs[i] != nil {
			errs[i] = fmt.Errorf("rebuild %s: %w", b.p.Name(), errs[i])
			return nil
		}
		b.report(true)
		opts.Logger.Info("projection rebuilt", "projection", b.p.Name(), "generation", b.gen, "events", results[i].Events,
			"elapsed", results[i].Elapsed.Round(time.Millisecond).String(), "compared", results[i].Compared)
		return nil
	})
	swapped := results[:0]
	for i, b := range builds {
		if b.swapped {
			swapped = append(swapped, results[i])
		}
	}
	return swapped, errors.Join(errs...)
}

// StartRebuild claims the rebuild of ps at once, failing with ErrRebuildRunning when
// another rebuilder holds one of them, and runs it in the background until it ends or
// ctx does. wait blocks until then and answers what RebuildAll would.
func StartRebuild(ctx context.Context, pool *pgxpool.Pool, log eventstore.LogReader, ps []Projection, opts RebuildOptions) (wait func() ([]RebuildResult, error), err error) {
	defer stateFailed(&err)
	opts = opts.withDefaults()
	builds, err := startBuilds(ctx, pool, log, ps, opts)
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	var results []RebuildResult
	var finishErr error // not err: the caller reads that one while the build runs
	go func() {
		defer close(done)
		results, finishErr = finishBuilds(ctx, log, builds, opts)
	}()
	return func() ([]RebuildResult, error) {
		<-done
		return results, finishErr
	}, nil
}

// analyze gathers the planner's statistics of p's tables in schema. Tables filled by a
// rebuild have none until autovacuum comes by, and queries on them would be planned as
// on empty tables: a member list sorted in memory instead of read from its index.
func analyze(ctx context.Context, q Querier, p Projection, schema string) error {
	for _, table := range append([]string{streamVersionsTable}, p.Tables()...) {
		if _, err := q.Exec(ctx, "ANALYZE "+Qualified(schema, table)); err != nil {
			return fmt.Errorf("analyze %s in %s: %w", table, schema, err)
		}
	}
	return nil
}
