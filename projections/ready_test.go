package projections

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestReadyOnceInstalledAndBuilt: a runtime is not ready before it installed its
// projections, nor while a never-run one is being built at start; once it is ready, the
// build has swapped in (every event of the log is counted).
func TestReadyOnceInstalledAndBuilt(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.waitVisible(r.rename("workspace-a", 30, "x"))
	rt := r.run(Options{InitialBuildMin: 20, Subscriber: SubscriberOptions{LeaseTTL: 2 * time.Second}},
		counter{name: "rd1"}, counter{name: "rd2"})

	ready := waitReadyRuntime(t, rt)
	if !ready {
		t.Fatal("the runtime did not get ready within 20 seconds")
	}
	for _, table := range []string{"rd1_counts", "rd2_counts"} {
		if got := r.counts(table); got["workspace-a"] != 30 {
			t.Errorf("%s = %v when ready, want the 30 events of the log", table, got)
		}
	}
}

// TestNotReadyBeforeRun: a runtime that has not run yet is not ready, naming its
// projections.
func TestNotReadyBeforeRun(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	rt := NewRuntime(r.pool, r.store, []Projection{counter{name: "later"}}, Options{})
	if err := rt.Ready(context.Background()); !errors.Is(err, ErrNotReady) {
		t.Errorf("Ready before Run: %v, want ErrNotReady", err)
	}
}

// waitReadyRuntime waits up to 20 seconds for rt to be ready, and reports whether it got
// ready.
func waitReadyRuntime(t *testing.T, rt *Runtime) bool {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		err := rt.Ready(context.Background())
		if err == nil {
			return true
		}
		if !errors.Is(err, ErrNotReady) {
			t.Fatalf("Ready: %v, want nil or ErrNotReady", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// TestServingOnlyOnceBuilt: a read model built at start is not served before its build
// has swapped in: the first moment Serving admits its queries, its table holds every
// event of the log; a projection not named is not asked about.
func TestServingOnlyOnceBuilt(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.waitVisible(r.rename("workspace-a", 30, "x"))
	rt := NewRuntime(r.pool, r.store, []Projection{counter{name: "sv1"}}, Options{InitialBuildMin: 20})
	if err := rt.Serving("sv1"); !errors.Is(err, ErrNotReady) {
		t.Fatalf("Serving before Run: %v, want ErrNotReady", err)
	}
	if err := rt.Serving("another"); err != nil {
		t.Errorf("Serving of a projection the runtime does not run: %v, want nil", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- rt.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		if err := <-ran; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("runtime: %v", err)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for rt.Serving("sv1") != nil {
		if time.Now().After(deadline) {
			t.Fatal("sv1 was not served within 20 seconds")
		}
		time.Sleep(time.Millisecond)
	}
	if got := r.counts("sv1_counts"); got["workspace-a"] != 30 {
		t.Errorf("sv1_counts = %v when first served, want the 30 events of the log", got)
	}
}
