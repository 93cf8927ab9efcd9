package projections

import (
	"context"
	"testing"
)

// TestOneInstanceAtATime runs the same projection in two runtimes, as two serve
// instances would: the counts stay exact while both run, and when the lease holder stops,
// the other takes over.
func TestOneInstanceAtATime(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	first := r.rename("workspace-a", 20, "x")
	runtimes := map[string]*Runtime{}
	stops := map[string]func(){}
	for _, owner := range []string{"one", "two"} {
		runtimes[owner], stops[owner] = r.start(Options{Subscriber: SubscriberOptions{Owner: owner, BatchSize: 3}}, counter{name: "ha"})
	}
	if err := runtimes["one"].WaitFor(waitCtx(t), first); err != nil {
		t.Fatal(err)
	}
	holder := r.leaseOwner("ha")
	other := map[string]string{"one": "two", "two": "one"}[holder]
	if other == "" {
		t.Fatalf("lease owner %q, want one or two", holder)
	}
	stops[holder]()
	last := r.rename("workspace-a", 10, "y")
	if err := runtimes[other].WaitFor(waitCtx(t), last); err != nil {
		t.Fatal(err)
	}
	if got := r.counts("ha_counts"); got["workspace-a"] != 30 {
		t.Fatalf("counts %v, want 30: each event once", got)
	}
	if owner := r.leaseOwner("ha"); owner != other {
		t.Errorf("lease owner after %s stopped: %q, want %s", holder, owner, other)
	}
}

// leaseOwner answers who holds the lease of projection name.
func (r *rig) leaseOwner(name string) string {
	r.t.Helper()
	var owner *string
	if err := r.pool.QueryRow(context.Background(), `SELECT lease_owner FROM projection_checkpoints WHERE name = $1`, name).Scan(&owner); err != nil {
		r.t.Fatal(err)
	}
	if owner == nil {
		return ""
	}
	return *owner
}

// TestNeverRunProjectionsAreBuiltTogether starts projections over a log past
// InitialBuildMin: they are built in the background as a rebuild does (generation 2),
// their projectors waiting, and then follow the log.
func TestNeverRunProjectionsAreBuiltTogether(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.waitVisible(r.rename("workspace-a", 60, "x"))
	rt, _ := r.start(Options{InitialBuildMin: 50}, counter{name: "ib1"}, counter{name: "ib2"})
	last := r.rename("workspace-b", 3, "y")
	if err := rt.WaitFor(waitCtx(t), last); err != nil {
		t.Fatal(err)
	}
	st, err := rt.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st {
		if s.Generation != 2 || s.Rebuild != nil {
			t.Errorf("%s: generation %d, rebuild %+v; want built once into generation 2", s.Name, s.Generation, s.Rebuild)
		}
	}
	for _, table := range []string{"ib1_counts", "ib2_counts"} {
		if got := r.counts(table); got["workspace-a"] != 60 || got["workspace-b"] != 3 {
			t.Errorf("%s = %v, want 60 and 3", table, got)
		}
	}
}
