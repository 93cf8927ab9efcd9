package projections

import (
	"context"
	"time"
)

// Paced is implemented by a read model whose readers do not wait on each change (an
// audit log, a history, a schedule): live, it takes its events at most once every
// BatchInterval, in fewer and bigger batches. Each batch costs a transaction and its
// round trips whatever its size, so under load the paced read models leave the machine
// to the commands and to the read models that readers wait on (the member list, the
// access checks). A read that waits for a paced read model with a consistency token waits
// up to one interval longer.
type Paced interface {
	// BatchInterval is the least time between the starts of two live batches.
	BatchInterval() time.Duration
}

// BackgroundInterval is the BatchInterval of the read models that nobody waits on
// interactively: at most 40 live batches a second each.
const BackgroundInterval = 25 * time.Millisecond

// batchInterval answers p's BatchInterval, or zero for a read model that is not Paced.
func batchInterval(p Projection) time.Duration {
	if paced, ok := p.(Paced); ok {
		return paced.BatchInterval()
	}
	return 0
}

// keepPace waits, for a Paced read model whose last batch began less than pace ago, until
// the next multiple of pace on the clock, so that the paced read models that follow the
// head go together and share one read of the page. It answers the instant from which
// a page of the log is fresh enough for the batch (zero: any page), and false when ctx
// ended.
func keepPace(ctx context.Context, pace time.Duration, lastBatch time.Time) (time.Time, bool) {
	if pace <= 0 {
		return time.Time{}, ctx.Err() == nil
	}
	now := time.Now()
	if now.Sub(lastBatch) >= pace {
		return time.Time{}, ctx.Err() == nil // idle a while: the page of the moment will do
	}
	tick := now.Truncate(pace).Add(pace)
	return tick, sleep(ctx, tick.Sub(now))
}
