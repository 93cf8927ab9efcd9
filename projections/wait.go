package projections

import (
	"context"
	"fmt"
	"time"

	"accessledger/eventstore"
)

// waitPoll is how often WaitFor looks at the checkpoints when no local projector moved:
// the projector may run in another instance.
const waitPoll = 20 * time.Millisecond

// WaitFor blocks until every named projection (every projection of the runtime when
// none is named) has applied the log up to position pos, so that a query that follows
// reads its own writes; it fails with ctx's error when ctx ends first.
func (r *Runtime) WaitFor(ctx context.Context, pos eventstore.Position, names ...string) error {
	if len(names) == 0 {
		for name := range r.projections {
			names = append(names, name)
		}
	}
	ticker := time.NewTicker(waitPoll)
	defer ticker.Stop()
	for {
		moved := r.progress.Channel()
		done, err := reached(ctx, r, pos, names)
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-moved:
		case <-ticker.C:
		}
	}
}

func reached(ctx context.Context, r *Runtime, pos eventstore.Position, names []string) (bool, error) {
	rows, err := r.pool.Query(ctx, `SELECT position FROM projection_checkpoints WHERE name = ANY($1)`, names)
	if err != nil {
		return false, fmt.Errorf("wait for projections: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return false, err
		}
		at, err := eventstore.ParsePosition(text)
		if err != nil {
			return false, err
		}
		if at.Before(pos) {
			return false, nil
		}
		n++
	}
	return n == len(names), rows.Err()
}
