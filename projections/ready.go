package projections

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// unready is the set of a runtime's projections whose read models cannot answer queries
// yet: not installed, or never run and waiting for their initial build.
type unready struct {
	mu    sync.Mutex
	names map[string]bool
}

// newUnready answers every one of ps as unready.
func newUnready(ps map[string]Projection) *unready {
	u := &unready{names: make(map[string]bool, len(ps))}
	for name := range ps {
		u.names[name] = true
	}
	return u
}

// done records that the read models of ps can answer.
func (u *unready) done(ps ...Projection) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, p := range ps {
		delete(u.names, p.Name())
	}
}

// pending answers, sorted, the names of the projections that cannot answer yet: of
// those named, or of every one when none is.
func (u *unready) pending(of ...string) []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	names := make([]string, 0, len(u.names))
	for name := range u.names {
		if len(of) == 0 || slices.Contains(of, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// Ready answers nil once the runtime's database answers and every one of its read models
// can answer queries: Run has installed its tables and, for a never-run projection
// built in the background at start, the build has swapped in. A projection whose new
// version is being built is ready: its old tables serve meanwhile. Until then Ready
// answers an error wrapping ErrNotReady that names the projections, or ErrUnavailable
// when the database cannot answer. /readyz asks it.
func (r *Runtime) Ready(ctx context.Context) error {
	if err := r.pool.Ping(ctx); err != nil {
		stateFailed(&err)
		return fmt.Errorf("ping the read models' database: %w", err)
	}
	if names := r.unready.pending(); len(names) > 0 {
		return fmt.Errorf("%w: %s not installed or built yet", ErrNotReady, strings.Join(names, ", "))
	}
	return nil
}

// Serving answers nil when the read models of the projections named can answer queries,
// and an error wrapping ErrNotReady that names those that cannot yet: not installed, or
// built in the background at start and not swapped in, when their tables exist but are
// empty or partial. A query must not answer from them: it would answer a workspace
// without members as if that were the truth. Serving reads what this process knows, so
// a query pays no round trip for it; with no names it answers for every projection.
func (r *Runtime) Serving(names ...string) error {
	if pending := r.unready.pending(names...); len(pending) > 0 {
		return fmt.Errorf("%w: %s not installed or built yet", ErrNotReady, strings.Join(pending, ", "))
	}
	return nil
}
