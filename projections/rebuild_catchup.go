package projections

import (
	"context"

	"golang.org/x/sync/errgroup"

	"accessledger/eventstore"
)

// page is a decoded page of the log, or the error that ended the reading.
type page struct {
	envs []Envelope
	err  error
}

// catchUpRounds bounds the rounds of catchUp: under writers faster than the rebuild,
// the swap applies what is left, under its lock.
const catchUpRounds = 5

// catchUp brings the builds near the head of the log, in rounds: each reads up to the
// head as it was when the round began, so that a round ends however fast writers
// append. The rounds end when a round found less than a page to do.
//
// The builds move in step, so the stream continuity check is done once per page, in
// versions, rather than once per build; writeStreamVersions hands its result to each
// build before the swaps, which check the rest as the runtime does.
func catchUp(ctx context.Context, log eventstore.LogReader, builds []*build, versions streamTracker, batchSize int) error {
	if len(builds) == 0 {
		return nil
	}
	for range catchUpRounds {
		target, err := log.Head(ctx)
		if err != nil {
			return err
		}
		from := builds[0].position
		if !from.Before(target) {
			return nil
		}
		pages, err := catchUpTo(ctx, log, builds, versions, from, target, batchSize)
		if err != nil || pages <= 1 {
			return err
		}
	}
	return nil
}

// catchUpTo reads the log after from up to target, decoding each page once, and applies
// every page to every build, the builds side by side; the next page is read and
// decoded while the builds apply this one. It answers the pages applied.
func catchUpTo(ctx context.Context, log eventstore.LogReader, builds []*build, versions streamTracker,
	from, target eventstore.Position, batchSize int,
) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan page, 2)
	go readPages(ctx, log, from, target, batchSize, pages)
	n := 0
	for pg := range pages {
		if pg.err != nil {
			return n, pg.err
		}
		n++
		if err := versions.advance(pg.envs); err != nil {
			return n, err
		}
		if err := eachBuild(ctx, builds, func(ctx context.Context, b *build) error {
			return b.applyPage(ctx, pg.envs)
		}); err != nil {
			return n, err
		}
		for _, b := range builds {
			b.report(false)
		}
	}
	return n, ctx.Err()
}

// readPages sends the decoded pages of the log after at to out until a short page, a
// page that reaches target, an error or the end of ctx, and closes out.
func readPages(ctx context.Context, log eventstore.LogReader, at, target eventstore.Position, batchSize int, out chan<- page) {
	defer close(out)
	for {
		events, err := log.ReadAll(ctx, at, batchSize)
		var envs []Envelope
		if err == nil {
			envs, err = Decode(events)
		}
		select {
		case out <- page{envs: envs, err: err}:
		case <-ctx.Done():
			return
		}
		if err != nil || len(events) < batchSize {
			return
		}
		if at = events[len(events)-1].Position; !at.Before(target) {
			return
		}
	}
}

// eachBuild runs fn for every build, side by side as the pool allows, and answers the
// first error.
func eachBuild(ctx context.Context, builds []*build, fn func(context.Context, *build) error) error {
	if len(builds) == 0 {
		return nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, int(builds[0].pool.Config().MaxConns)-1))
	for _, b := range builds {
		g.Go(func() error { return fn(gctx, b) })
	}
	return g.Wait()
}
