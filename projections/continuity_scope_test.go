package projections

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/internal/pgtest"
)

// workspaceCounter is a counter that declares it uses the workspace stream's events
// only: its continuity scope is the workspace streams.
type workspaceCounter struct{ counter }

func (workspaceCounter) Events() EventUse {
	handled := slices.Concat(domain.WorkspaceEventTypes(), domain.RosterEventTypes())
	return EventUse{Handled: handled, Ignored: Without(domain.EventTypes(), handled...)}
}

// TestContinuityIsCheckedOnTheStreamsAReadModelUses checks that a read model checks and
// records where streams end only for the kinds of stream its handled events go to: a
// gap elsewhere does not stop it, and the other streams cost it no row.
func TestContinuityIsCheckedOnTheStreamsAReadModelUses(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p := workspaceCounter{counter{name: "scoped"}}
	rt, _ := r.start(Options{}, p)
	ws, account := domain.WorkspaceStream(uuid.New()), domain.AccountStream(uuid.New())
	r.rename(ws, 3, "x")
	if err := rt.WaitFor(waitCtx(t), r.rename(account, 2, "y")); err != nil {
		t.Fatal(err)
	}
	if got := r.counts("scoped_counts"); got[ws] != 3 || got[account] != 2 {
		t.Errorf("counts %v: every event is still applied", got)
	}
	c, err := ensureCheckpoint(context.Background(), r.pool, p)
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]int64{}
	rows, err := r.pool.Query(context.Background(), "SELECT stream, version FROM "+Qualified(c.schema(), streamVersionsTable))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		var v int64
		if err := rows.Scan(&s, &v); err != nil {
			t.Fatal(err)
		}
		recorded[s] = v
	}
	if rows.Err() != nil || len(recorded) != 1 || recorded[ws] != 3 {
		t.Errorf("stream versions %v (%v), want only %s at 3", recorded, rows.Err(), ws)
	}
}

// TestAGapOutsideTheContinuityScopeDoesNotStopAReadModel applies versions 1 and 3 of a
// stream outside the read model's scope, which it takes, and of one inside, which stops
// it with ErrGap.
func TestAGapOutsideTheContinuityScopeDoesNotStopAReadModel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	p := workspaceCounter{counter{name: "scopedgaps"}}
	schema, err := InstallForTest(ctx, pool, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		stream  string
		wantGap bool
	}{
		{domain.AccountStream(uuid.New()), false},
		{domain.WorkspaceStream(uuid.New()), true},
	} {
		if err := ApplyForTest(ctx, pool, p, schema, []Envelope{renamedAt(tc.stream, 1, "a")}); err != nil {
			t.Fatal(err)
		}
		err := ApplyForTest(ctx, pool, p, schema, []Envelope{renamedAt(tc.stream, 3, "c")})
		if gap := errors.Is(err, ErrGap); gap != tc.wantGap || err != nil && !gap {
			t.Errorf("%s: versions 1 then 3 answered %v, want a gap: %v", tc.stream, err, tc.wantGap)
		}
	}
}
