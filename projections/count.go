package projections

import (
	"context"

	"accessledger/eventstore"
)

// Caps of countEvents: a count is for a lag, a rebuild's total or a size threshold, and
// need not be exact past these.
const (
	countCap        = 10_000_000 // where the log counts (postgres.Store.CountAfter)
	countReadingCap = 10_000     // where the events must be read to be counted
)

// logCounter is the optional part of an event log that counts events cheaply.
type logCounter interface {
	CountAfter(ctx context.Context, after eventstore.Position, limit int64) (int64, error)
}

// countEvents answers how many events of log follow after, counting at most limit: by
// the log's own count when it has one, else by reading them, at most countReadingCap.
func countEvents(ctx context.Context, log eventstore.LogReader, after eventstore.Position, limit int64) (int64, error) {
	if c, ok := log.(logCounter); ok {
		return c.CountAfter(ctx, after, limit)
	}
	var n int64
	for n < min(limit, countReadingCap) {
		page, err := log.ReadAll(ctx, after, 1000)
		if err != nil || len(page) == 0 {
			return n, err
		}
		n += int64(len(page))
		after = page[len(page)-1].Position
	}
	return n, nil
}
