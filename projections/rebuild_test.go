package projections

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"accessledger/eventstore"
)

// TestRebuildWhileWritersAppend rebuilds a projection while writers append and the live
// projector follows them, and readers watch the live view: the sum they read never goes
// back (a half-built or empty table would), and the swapped-in tables equal the log.
func TestRebuildWhileWritersAppend(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	first := r.rename("workspace-0", 200, "x")
	rt, _ := r.start(Options{}, counter{name: "rb"})
	if err := rt.WaitFor(waitCtx(t), first); err != nil {
		t.Fatal(err)
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var writers sync.WaitGroup
	var appended atomic.Int64
	appended.Store(200)
	lasts := make([]eventstore.Position, 3)
	for w := range lasts {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for ctx.Err() == nil {
				lasts[w] = r.rename(fmt.Sprintf("workspace-%d", w+1), 1, "y")
				appended.Add(1)
			}
		}()
	}
	readerErr := make(chan error, 1)
	go func() { readerErr <- watchSum(ctx, r, "rb_counts") }()

	res, err := Rebuild(waitCtx(t), r.pool, r.store, counter{name: "rb"}, RebuildOptions{BatchSize: 100})
	if err != nil || !res.Compared || res.Generation != 2 {
		t.Fatalf("rebuild: %+v, %v; want generation 2, compared", res, err)
	}
	time.Sleep(100 * time.Millisecond) // the live projector goes on after the swap
	stop()
	writers.Wait()
	if err := <-readerErr; err != nil {
		t.Fatal(err)
	}
	for _, last := range lasts {
		if err := rt.WaitFor(waitCtx(t), last); err != nil {
			t.Fatal(err)
		}
	}
	if got := r.sum("rb_counts"); got != appended.Load() {
		t.Fatalf("after the rebuild the view counts %d events, the log holds %d", got, appended.Load())
	}
	if n := r.schemas("rb"); n != 1 {
		t.Errorf("%d generation schemas left, want the live one only", n)
	}
}

// watchSum reads the sum of a counter's view until ctx ends, and fails if it ever
// shrinks or the view is ever missing.
func watchSum(ctx context.Context, r *rig, table string) error {
	var last int64
	for reads := 0; ctx.Err() == nil; reads++ {
		var sum int64
		err := r.pool.QueryRow(ctx, "SELECT coalesce(sum(n), 0)::bigint FROM "+Qualified(ReadSchema, table)).Scan(&sum)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %d: %w", reads, err)
		}
		if sum < last {
			return fmt.Errorf("read %d: the view went back from %d to %d events", reads, last, sum)
		}
		last = sum
	}
	return nil
}

func TestVersionBumpRebuildsInTheBackground(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	want := r.rename("workspace-a", 30, "x")
	rt, stop := r.start(Options{}, counter{name: "vb"})
	if err := rt.WaitFor(waitCtx(t), want); err != nil {
		t.Fatal(err)
	}
	stop()
	// Version 2 counts every event ten times.
	rt, _ = r.start(Options{}, counter{name: "vb", version: 2, weight: 10})
	last := r.rename("workspace-a", 5, "y")
	deadline := time.Now().Add(15 * time.Second)
	for {
		// Versions only go up: a sum read before a status that says 1 was read from 1.
		got := r.sum("vb_counts")
		st, err := rt.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st[0].Version == 2 {
			break
		}
		if got != 30 {
			t.Fatalf("while version 2 builds, version 1 serves %d, want its 30", got)
		}
		if time.Now().After(deadline) {
			t.Fatalf("version 2 never swapped in: %+v", st[0])
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := rt.WaitFor(waitCtx(t), last); err != nil {
		t.Fatal(err)
	}
	if got := r.sum("vb_counts"); got != 350 {
		t.Fatalf("version 2 counts %d, want 350", got)
	}
}

func TestRebuildMismatchKeepsTheLiveTables(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	want := r.rename("workspace-a", 10, "x")
	rt, stop := r.start(Options{}, counter{name: "mm"})
	if err := rt.WaitFor(waitCtx(t), want); err != nil {
		t.Fatal(err)
	}
	stop()
	// Someone edits the read model by hand: the rebuild finds out.
	if _, err := r.pool.Exec(context.Background(), "UPDATE rm.mm_counts SET n = n + 1"); err != nil {
		t.Fatal(err)
	}
	_, err := Rebuild(waitCtx(t), r.pool, r.store, counter{name: "mm"}, RebuildOptions{})
	if !errors.Is(err, ErrMismatch) {
		t.Fatalf("rebuild of edited tables: %v, want ErrMismatch", err)
	}
	if got, n := r.sum("mm_counts"), r.schemas("mm"); got != 11 || n != 1 {
		t.Fatalf("after the refused swap: sum %d in %d schemas, want the live 11 in 1", got, n)
	}
	res, err := Rebuild(waitCtx(t), r.pool, r.store, counter{name: "mm"}, RebuildOptions{Force: true})
	if err != nil || !res.Compared {
		t.Fatalf("forced rebuild: %+v, %v", res, err)
	}
	if got := r.sum("mm_counts"); got != 10 {
		t.Fatalf("after the forced rebuild: %d, want 10", got)
	}
}

func TestRebuildRevivesAFailedProjection(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.rename("workspace-a", 3, "fine")
	r.rename("workspace-a", 1, "poison")
	r.waitVisible(r.rename("workspace-a", 2, "fine"))
	rt, _ := r.start(Options{}, counter{name: "fx", failOn: "poison"})
	waitState(t, rt, "fx", StateFailed)
	// The fixed code (no failOn) rebuilds past the event, and the projector resumes.
	res, err := Rebuild(waitCtx(t), r.pool, r.store, counter{name: "fx"}, RebuildOptions{})
	if err != nil || res.Compared || res.Events != 6 {
		t.Fatalf("rebuild of a failed projection: %+v, %v; want 6 events, not compared", res, err)
	}
	st := waitState(t, rt, "fx", StateRunning)
	if st.LastError != "" || st.ErrorStream != "" {
		t.Errorf("the failure is still reported after the rebuild: %+v", st)
	}
}

func TestRebuildRefusesASecondRebuilder(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.rename("workspace-a", 3, "x")
	b, err := startBuild(context.Background(), r.pool, r.store, counter{name: "two"}, RebuildOptions{Owner: "first"}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	defer b.abandon(context.Background())
	if _, err := Rebuild(waitCtx(t), r.pool, r.store, counter{name: "two"}, RebuildOptions{}); !errors.Is(err, ErrRebuildRunning) {
		t.Fatalf("second rebuild: %v, want ErrRebuildRunning", err)
	}
	st, err := ReadStatus(context.Background(), r.pool, r.store, []Projection{counter{name: "two"}})
	if err != nil {
		t.Fatal(err)
	}
	if st[0].State != StateRebuilding || st[0].Rebuild == nil || st[0].Rebuild.Owner != "first" {
		t.Fatalf("status during the rebuild: %+v", st[0])
	}
}

// waitState waits until the runtime reports projection name in state.
func waitState(t *testing.T, rt *Runtime, name, state string) Status {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		all, err := rt.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range all {
			if st.Name == name && st.State == state {
				return st
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never reached %s: %+v", name, state, all)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sum answers the events a counter's view counts.
func (r *rig) sum(table string) int64 {
	r.t.Helper()
	var n int64
	if err := r.pool.QueryRow(context.Background(), "SELECT coalesce(sum(n), 0)::bigint FROM "+Qualified(ReadSchema, table)).Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n
}

// schemas answers how many generation schemas projection name has.
func (r *rig) schemas(name string) int {
	r.t.Helper()
	var n int
	if err := r.pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_namespace WHERE nspname ~ $1`, "^p_"+name+"_[0-9]+$").Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n
}
