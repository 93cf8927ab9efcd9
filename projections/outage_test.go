package projections

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"accessledger/eventstore"
	"accessledger/internal/pgerr/pgerrtest"
)

// terminating is a counter whose first kills batches lose their connection mid-batch:
// the transaction kills its own backend, as a database restart does.
type terminating struct {
	counter
	kills *atomic.Int32
}

func (p terminating) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error {
	if p.kills.Add(-1) >= 0 {
		if _, err := tx.Exec(ctx, "SELECT pg_terminate_backend(pg_backend_pid())"); err != nil {
			return err
		}
		return errors.New("the backend survived its termination")
	}
	return p.counter.Apply(ctx, tx, schema, batch)
}

// TestAnOutageDoesNotFailAProjection: a batch that keeps losing its connection, many more
// times than a failing batch is retried, does not stop its projection: once the database
// answers, it applies, each event once.
func TestAnOutageDoesNotFailAProjection(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	kills := new(atomic.Int32)
	kills.Store(8) // the rig retries a failed batch twice
	last := r.rename("workspace-a", 3, "x")
	r.start(Options{}, terminating{counter{name: "sturdy"}, kills})

	r.waitApplied(t, last, "sturdy")
	if left := kills.Load(); left > 0 {
		t.Errorf("%d connections left to kill: the batch was not retried through the outage", left)
	}
	if got := r.counts("sturdy_counts"); got["workspace-a"] != 3 {
		t.Errorf("counts %v, want 3: each event once", got)
	}
}

// TestProjectionsResumeAfterAnOutage: the database goes away while a batch commits,
// stays down, then starts up (refusing connections with 57P03) and comes back. No
// projection is marked failed, and each applies the events of the outage once, as
// soon as the database answers again; the time it took is logged.
func TestProjectionsResumeAfterAnOutage(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	proxy, url := pgerrtest.Start(t, r.url)
	through := openRig(t, url) // the runtime's database connections go through the proxy
	var armed atomic.Bool
	cut := make(chan struct{})
	opts := Options{beforeCommit: func(string) {
		if armed.CompareAndSwap(true, false) {
			proxy.Refuse()
			close(cut)
		}
	}}
	names := []string{"one", "two", "three"}
	through.run(opts, counter{name: names[0]}, counter{name: names[1]}, counter{name: names[2]})
	r.waitApplied(t, r.rename("workspace-a", 1, "x"), names...)

	armed.Store(true)
	during := r.rename("workspace-a", 2, "y") // through the database itself, which is up
	<-cut
	time.Sleep(300 * time.Millisecond) // down
	proxy.StartingUp()
	time.Sleep(300 * time.Millisecond)
	r.checkNoneFailed(t, names...)
	proxy.Resume()
	back := time.Now()
	r.waitApplied(t, during, names...)
	t.Logf("every projection applied the events of the outage %v after the database came back", time.Since(back).Round(time.Millisecond))

	r.waitApplied(t, r.rename("workspace-b", 1, "z"), names...)
	for _, name := range names {
		if got := r.counts(name + "_counts"); got["workspace-a"] != 3 || got["workspace-b"] != 1 {
			t.Errorf("%s counts %v, want 3 and 1: each event once", name, got)
		}
	}
}

// TestCommitsLostInADatabaseCrashAreAppliedAgain: a batch whose commit the projector saw
// succeed is lost, as an asynchronous commit is when the database crashes; the
// projector, still running, does not stop on the gap its next batch would leave, but
// follows the log again from the checkpoint the database kept, each event once.
func TestCommitsLostInADatabaseCrashAreAppliedAgain(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	kept := r.rename("workspace-a", 1, "x")
	var armed atomic.Bool
	lost := make(chan error, 1)
	p := counter{name: "crashed"}
	opts := Options{afterCommit: func(string) {
		if armed.CompareAndSwap(true, false) {
			lost <- r.undoLastRename(p, "workspace-a", kept)
		}
	}}
	r.start(opts, p)
	r.waitApplied(t, kept, p.name)

	armed.Store(true)
	r.rename("workspace-a", 1, "y")
	if err := <-lost; err != nil {
		t.Fatal(err)
	}
	last := r.rename("workspace-a", 1, "z")
	r.waitApplied(t, last, p.name)
	if got := r.counts("crashed_counts"); got["workspace-a"] != 3 {
		t.Errorf("counts %v, want 3: each event once", got)
	}
}

// undoLastRename undoes what applying one more rename of stream did to counter p, its
// checkpoint back at kept: what losing that commit in a crash leaves.
func (r *rig) undoLastRename(p counter, stream string, kept eventstore.Position) error {
	schema := GenerationSchema(p.name, 1)
	return pgx.BeginFunc(context.Background(), r.pool, func(tx pgx.Tx) error {
		for _, sql := range []string{
			"UPDATE " + Qualified(schema, p.name+"_counts") + " SET n = n - 1 WHERE stream = $1",
			"UPDATE " + Qualified(schema, streamVersionsTable) + " SET version = version - 1 WHERE stream = $1",
		} {
			if _, err := tx.Exec(context.Background(), sql, stream); err != nil {
				return err
			}
		}
		_, err := tx.Exec(context.Background(), "UPDATE projection_checkpoints SET position = $2 WHERE name = $1", p.name, kept.String())
		return err
	})
}

// run runs a runtime with opts as they are (start shortens leases and retries) until
// the test ends.
func (r *rig) run(opts Options, ps ...Projection) *Runtime {
	r.t.Helper()
	rt := NewRuntime(r.pool, r.store, ps, opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()
	r.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			r.t.Errorf("runtime: %v", err)
		}
	})
	return rt
}

// waitApplied waits until the checkpoints of names have reached pos, failing the test
// as soon as one of them failed, or after 20 seconds.
func (r *rig) waitApplied(t *testing.T, pos eventstore.Position, names ...string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		reached := 0
		for _, name := range names {
			c, err := readCheckpoint(context.Background(), r.pool, name)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				t.Fatal(err)
			}
			if c.state == StateFailed {
				t.Fatalf("projection %s failed", name)
			}
			if err == nil && !c.position.Before(pos) {
				reached++
			}
		}
		if reached == len(names) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %v reached %s within 20 seconds", reached, names, pos)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkNoneFailed fails the test if a checkpoint of names says failed.
func (r *rig) checkNoneFailed(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		c, err := readCheckpoint(context.Background(), r.pool, name)
		if err != nil {
			t.Fatal(err)
		}
		if c.state == StateFailed {
			t.Errorf("projection %s failed during the outage", name)
		}
	}
}
