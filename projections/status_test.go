package projections

import (
	"context"
	"slices"
	"testing"

	"accessledger/eventstore"
	"accessledger/eventstore/storetest"
	"accessledger/internal/pgtest"
)

func TestStatusReportsLagAndCatchesUp(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p := counter{name: "st"}
	first := r.rename("workspace-a", 1, "x")
	last := r.rename("workspace-a", 11, "y")
	ctx := context.Background()
	r.waitVisible(last)

	st, err := ReadStatus(ctx, r.pool, r.store, []Projection{p})
	if err != nil {
		t.Fatal(err)
	}
	if got := st[0]; got.Generation != 0 || got.LagEvents != 12 || got.State != StateCatchingUp || got.Head != last {
		t.Fatalf("before install: %+v, want generation 0, 12 events behind, catching up", got)
	}
	rt, stop := r.start(Options{}, p)
	if err := rt.WaitFor(waitCtx(t), first, "st"); err != nil {
		t.Fatal(err)
	}
	if err := rt.WaitFor(waitCtx(t), last); err != nil {
		t.Fatal(err)
	}
	stop()
	r.waitVisible(r.rename("workspace-a", 3, "z"))
	st, err = ReadStatus(ctx, r.pool, r.store, []Projection{p})
	if err != nil {
		t.Fatal(err)
	}
	got := st[0]
	if got.Generation != 1 || got.Version != 1 || got.CodeVersion != 1 || got.Position != last || got.EventsApplied != 12 {
		t.Fatalf("after 12 events: %+v", got)
	}
	if got.LagEvents != 3 || got.LagSeconds <= 0 || got.LastEventAt == nil {
		t.Fatalf("3 events behind: %+v", got)
	}
}

// waitVisible waits until readers of the log can see pos.
func (r *rig) waitVisible(pos eventstore.Position) {
	r.t.Helper()
	storetest.WaitVisible(r.t, r.store, pos)
}

func TestFailedListsOnlyFailedProjections(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	for name, state := range map[string]string{"activity": StateRunning, "history": StateFailed,
		"members": StateRebuilding, "licenses": StateFailed} {
		_, err := r.pool.Exec(ctx, `INSERT INTO projection_checkpoints (name, version, generation, state) VALUES ($1, 1, 1, $2)`, name, state)
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := Failed(ctx, r.pool)
	if err != nil || !slices.Equal(got, []string{"history", "licenses"}) {
		t.Errorf("failed projections: %q, %v; want history and licenses", got, err)
	}
	closed := pgtest.NewPool(t)
	closed.Close()
	if _, err := Failed(ctx, closed); err == nil {
		t.Error("failed projections of an unreadable database: no error")
	}
}
