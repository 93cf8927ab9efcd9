package projections

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"accessledger/eventstore"
)

// lastWriter is a counter that writes its counts with SendLast, and then, as told, sends
// a statement after them or queues one that fails.
type lastWriter struct {
	counter
	reads, after, failing bool
}

func (p lastWriter) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error {
	if p.reads { // the lock rides with this read, and COMMIT with the last writes
		r := &pgx.Batch{}
		r.Queue("SELECT count(*) FROM " + Qualified(schema, p.name+"_counts"))
		if err := SendBatch(ctx, tx, r, "read counts"); err != nil {
			return err
		}
	}
	b := &pgx.Batch{}
	b.Queue("INSERT INTO "+Qualified(schema, p.name+"_counts")+" VALUES ('last', $1)", len(batch))
	if p.failing {
		b.Queue("INSERT INTO " + Qualified(schema, p.name+"_counts") + " VALUES ('last', 0)") // a duplicate key
	}
	if err := SendLast(ctx, tx, b, "write counts"); err != nil {
		return err
	}
	if p.after {
		_, err := tx.Exec(ctx, "SELECT 1")
		return err
	}
	return nil
}

// TestLastWritesCommitWithTheCheckpoint: what a read model sends with SendLast takes
// effect with its batch's checkpoint, or neither does; and a statement after them, which
// would run before them, fails the batch.
func TestLastWritesCommitWithTheCheckpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                 string
		reads, after, failed bool
		want                 error
	}{
		{name: "written", want: nil},
		{name: "written after a read", reads: true, want: nil},
		{name: "a statement after them", after: true, want: errAfterLast},
		{name: "one of them fails", failed: true},
		{name: "one of them fails, after a read", reads: true, failed: true},
	}
	r := newRig(t)
	ctx := context.Background()
	envs, last := r.renamedBatch(3)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := lastWriter{counter: counter{name: "last" + string(rune('a'+i))}, reads: tt.reads, after: tt.after, failing: tt.failed}
			c, err := ensureCheckpoint(ctx, r.pool, p)
			if err != nil {
				t.Fatal(err)
			}
			err = applyBatch(ctx, r.pool, p, c, envs, nil)
			now, rerr := readCheckpoint(ctx, r.pool, p.name)
			if rerr != nil {
				t.Fatal(rerr)
			}
			var rows int
			if err := r.pool.QueryRow(ctx, "SELECT count(*) FROM "+Qualified(c.schema(), p.name+"_counts")).Scan(&rows); err != nil {
				t.Fatal(err)
			}
			ok := !tt.after && !tt.failed
			switch {
			case ok && (err != nil || now.position != last || rows != 1):
				t.Fatalf("batch: %v; checkpoint %s, want %s; %d rows, want 1", err, now.position, last, rows)
			case !ok && (err == nil || !now.position.IsZero() || rows != 0):
				t.Fatalf("batch: %v, want an error; checkpoint %s and %d rows, want neither", err, now.position, rows)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("batch: %v, want %v", err, tt.want)
			}
		})
	}
}

// pipelinedCounter is a counter whose first statement is a pipelined read, which the
// lock of the batch rides ahead of.
type pipelinedCounter struct{ counter }

func (p pipelinedCounter) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error {
	b := &pgx.Batch{}
	b.Queue("SELECT count(*) FROM " + Qualified(schema, p.name+"_counts"))
	if err := SendBatch(ctx, tx, b, "read counts"); err != nil {
		return err
	}
	return p.counter.Apply(ctx, tx, schema, batch)
}

// TestABatchPartlyAppliedAppliesTheRest: a batch redelivered after its first events were
// committed (the checkpoint is past where the message says) applies only the rest,
// whether the read model's first statement is a pipeline the lock rides ahead of or not.
func TestABatchPartlyAppliedAppliesTheRest(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	envs, last := r.renamedBatch(3)
	for _, p := range []Projection{counter{name: "plain"}, pipelinedCounter{counter{name: "piped"}}} {
		c, err := ensureCheckpoint(ctx, r.pool, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := applyBatch(ctx, r.pool, p, c, envs[:2], nil); err != nil {
			t.Fatalf("%s: first two: %v", p.Name(), err)
		}
		if err := applyBatch(ctx, r.pool, p, c, envs, nil); err != nil { // c: where the first began
			t.Fatalf("%s: all three again: %v", p.Name(), err)
		}
		var n int64
		if err := r.pool.QueryRow(ctx, "SELECT n FROM "+Qualified(c.schema(), p.Name()+"_counts")+" WHERE stream = 'workspace-a'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		now, err := readCheckpoint(ctx, r.pool, p.Name())
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 || now.position != last {
			t.Errorf("%s: %d events counted and checkpoint %s, want 3 and %s", p.Name(), n, now.position, last)
		}
	}
}

// renamedBatch appends n renames of one workspace and answers them decoded, as a
// projector's batch, with the last one's position.
func (r *rig) renamedBatch(n int) ([]Envelope, eventstore.Position) {
	r.t.Helper()
	last := r.rename("workspace-a", n, "x")
	r.waitVisible(last)
	events, err := r.store.ReadAll(context.Background(), eventstore.Position{}, n)
	if err != nil {
		r.t.Fatal(err)
	}
	envs, err := Decode(events)
	if err != nil {
		r.t.Fatal(err)
	}
	return envs, last
}
