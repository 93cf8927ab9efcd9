package projections

import (
	"context"
	"fmt"
	"sync"
	"time"

	"accessledger/eventstore"
)

// waitPoll is how often WaitFor looks at the checkpoints when no local projector moved:
// the projector may run in another instance.
const waitPoll = 20 * time.Millisecond

// WaitFor blocks until every named projection (every projection of the runtime when
// none is named) has applied the log up to position pos, so that a query that follows
// reads its own writes; it fails with ctx's error when ctx ends first.
//
// What this process's projectors committed answers without a query; the checkpoints
// in the database are read only for projections it has not seen reach pos, every
// waitPoll, since their projector may run in another instance.
func (r *Runtime) WaitFor(ctx context.Context, pos eventstore.Position, names ...string) error {
	if len(names) == 0 {
		for name := range r.projections {
			names = append(names, name)
		}
	}
	ticker := time.NewTicker(waitPoll)
	defer ticker.Stop()
	// Poll at once only for a projection this process has not seen commit: a known one
	// is most likely run here, and its commits wake this wait.
	pollNow := !r.committed.knows(names)
	for {
		moved := r.progress.Channel()
		if r.committed.reached(pos, names) {
			return nil
		}
		if pollNow {
			done, err := reached(ctx, r, pos, names)
			if err != nil || done {
				return ReadError(err)
			}
			pollNow = false
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-moved: // a local commit: look again at what this process knows
		case <-ticker.C:
			pollNow = true
		}
	}
}

// reached reads the checkpoints of names, remembers them as committed, and answers
// whether every one has reached pos.
func reached(ctx context.Context, r *Runtime, pos eventstore.Position, names []string) (bool, error) {
	rows, err := r.pool.Query(ctx, `SELECT name, position FROM projection_checkpoints WHERE name = ANY($1)`, names)
	if err != nil {
		return false, fmt.Errorf("wait for projections: %w", err)
	}
	defer rows.Close()
	n, all := 0, true
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			return false, err
		}
		at, err := eventstore.ParsePosition(text)
		if err != nil {
			return false, err
		}
		r.committed.advance(name, at)
		all = all && !at.Before(pos)
		n++
	}
	return all && n == len(names), rows.Err()
}

// committedPositions are the checkpoints this process knows its projections to have
// committed. Checkpoints only move forward (a rebuild swaps in tables at least as far
// along), so a known position is never ahead of the truth, only possibly behind it;
// but for commits a database crash lost, which are forgotten once found out.
type committedPositions struct {
	mu sync.Mutex
	at map[string]eventstore.Position
}

// advance records that projection name committed up to pos.
func (c *committedPositions) advance(name string, pos eventstore.Position) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at == nil {
		c.at = make(map[string]eventstore.Position)
	}
	if c.at[name].Before(pos) {
		c.at[name] = pos
	}
}

// forget drops what is known of projection name, whose commits the database lost (see
// errCheckpointBehind): WaitFor reads its checkpoint again.
func (c *committedPositions) forget(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.at, name)
}

// knows answers whether every named projection has a known position.
func (c *committedPositions) knows(names []string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, name := range names {
		if _, ok := c.at[name]; !ok {
			return false
		}
	}
	return true
}

// reached answers whether every named projection is known to have reached pos.
func (c *committedPositions) reached(pos eventstore.Position, names []string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, name := range names {
		at, ok := c.at[name]
		if !ok || at.Before(pos) {
			return false
		}
	}
	return true
}
