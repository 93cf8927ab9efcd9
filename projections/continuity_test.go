package projections

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestABatchOnADroppedGenerationLosesItsLease applies a batch as a projector that has
// not seen a rebuild swap its generation out and drop it: the batch commits nothing and
// answers ErrLeaseLost, as it would had the tables still been there, rather than an
// error that is retried and logged as a failure.
func TestABatchOnADroppedGenerationLosesItsLease(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	p := counter{name: "swapped"}
	c, err := ensureCheckpoint(ctx, r.pool, p)
	if err != nil {
		t.Fatal(err)
	}
	envs, _ := r.renamedBatch(2)
	// What a swap does to the projector's generation: a new epoch, its schema dropped.
	for _, sql := range []string{
		"UPDATE projection_checkpoints SET epoch = epoch + 1, generation = 2 WHERE name = 'swapped'",
		"DROP SCHEMA " + c.schema() + " CASCADE",
	} {
		if _, err := r.pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	if err := applyEvents(ctx, r.pool, p, c, envs, nil, nil); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("applying to a dropped generation: %v, want ErrLeaseLost", err)
	}
	// With the checkpoint still its own, a missing table is the error it is.
	c2 := c
	if err := r.pool.QueryRow(ctx, "SELECT epoch, generation FROM projection_checkpoints WHERE name = 'swapped'").
		Scan(&c2.epoch, &c2.generation); err != nil {
		t.Fatal(err)
	}
	c2.generation = 1
	if _, err := r.pool.Exec(ctx, "UPDATE projection_checkpoints SET generation = 1 WHERE name = 'swapped'"); err != nil {
		t.Fatal(err)
	}
	if err := applyEvents(ctx, r.pool, p, c2, envs, nil, nil); err == nil || errors.Is(err, ErrLeaseLost) {
		t.Errorf("applying to a missing table of the live generation: %v, want the table's error", err)
	}
}

// commitProbe is a projection that records the synchronous_commit its batches run with.
type commitProbe struct {
	counter
	seen *string
}

func (p commitProbe) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error {
	if err := tx.QueryRow(ctx, "SELECT current_setting('synchronous_commit')").Scan(p.seen); err != nil {
		return err
	}
	return p.counter.Apply(ctx, tx, schema, batch)
}

// TestBatchesCommitWithoutWaitingForTheDisk checks that a live batch commits
// asynchronously: its effects are derived from the durable log and re-applied after a
// crash, so no projection waits for a WAL flush per batch.
func TestBatchesCommitWithoutWaitingForTheDisk(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var seen string
	p := commitProbe{counter: counter{name: "probe"}, seen: &seen}
	rt, _ := r.start(Options{}, p)
	if err := rt.WaitFor(waitCtx(t), r.rename("workspace-a", 3, "x")); err != nil {
		t.Fatal(err)
	}
	if seen != "off" {
		t.Errorf("synchronous_commit in a batch = %q, want off", seen)
	}
	if got := r.counts("probe_counts"); got["workspace-a"] != 3 {
		t.Errorf("counts %v, want 3", got)
	}
}
