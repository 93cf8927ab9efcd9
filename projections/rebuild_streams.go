package projections

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// streamTracker is the last version applied of every stream, kept in memory while a
// rebuild catches up: the continuity check of the runtime, done once for all the builds
// instead of once per build against each one's stream versions table.
type streamTracker map[string]int64

func newStreamTracker() streamTracker { return streamTracker{} }

// advance checks that every stream of page continues where it stopped, and records
// where it ends now. On a gap it answers the *PoisonError of the runtime.
func (t streamTracker) advance(page []Envelope) error {
	for i := range page {
		e := &page[i]
		if prev := t[e.Stream]; e.Version != prev+1 {
			return gapError(e, prev)
		}
		t[e.Stream] = e.Version
	}
	return nil
}

// writeStreamVersions fills the build's stream versions table from versions, which must
// describe the build's position: the swap's last stretch is checked against it. Like
// the runtime, it records the streams of the projection's continuity scope only.
func (b *build) writeStreamVersions(ctx context.Context, versions streamTracker) error {
	scope := scopeOf(b.p)
	rows := make([][]any, 0, len(versions))
	for stream, version := range versions {
		if scope.tracks(stream) {
			rows = append(rows, []any{stream, version})
		}
	}
	_, err := b.pool.CopyFrom(ctx, pgx.Identifier{b.schema, streamVersionsTable}, []string{"stream", "version"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("rebuild %s: write stream versions: %w", b.p.Name(), err)
	}
	return nil
}
