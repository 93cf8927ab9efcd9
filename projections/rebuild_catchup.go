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

// catchUp reads the log once from the start, decoding each page once, and applies every
// page to every build, the builds side by side, until a page comes back short: the head
// is then within one page, which the swaps apply under their locks. The next page is
// read and decoded while the builds apply this one.
func catchUp(ctx context.Context, log eventstore.LogReader, builds []*build, batchSize int) error {
	if len(builds) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan page, 2)
	go readPages(ctx, log, batchSize, pages)
	parallel := max(1, int(builds[0].pool.Config().MaxConns)-1)
	for pg := range pages {
		if pg.err != nil {
			return pg.err
		}
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(parallel)
		for _, b := range builds {
			g.Go(func() error { return b.applyPage(gctx, pg.envs) })
		}
		if err := g.Wait(); err != nil {
			return err
		}
		for _, b := range builds {
			b.report(false)
		}
	}
	return ctx.Err()
}

// readPages sends the decoded pages of the log to out until a short page, an error or
// the end of ctx, and closes out.
func readPages(ctx context.Context, log eventstore.LogReader, batchSize int, out chan<- page) {
	defer close(out)
	var at eventstore.Position
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
		at = events[len(events)-1].Position
	}
}
