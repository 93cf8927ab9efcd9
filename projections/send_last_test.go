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
	after, failing bool
}

func (p lastWriter) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error {
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
		name          string
		after, failed bool
		want          error
	}{
		{name: "written", want: nil},
		{name: "a statement after them", after: true, want: errAfterLast},
		{name: "one of them fails", failed: true},
	}
	r := newRig(t)
	ctx := context.Background()
	last := r.rename("workspace-a", 3, "x")
	r.waitVisible(last)
	events, err := r.store.ReadAll(ctx, eventstore.Position{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	envs, err := Decode(events)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := lastWriter{counter: counter{name: "last" + string(rune('a'+i))}, after: tt.after, failing: tt.failed}
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
