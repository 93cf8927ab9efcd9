package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
)

// build is one projection's rebuild under way: a new generation schema filled from the
// log while the live generation serves.
type build struct {
	pool  *pgxpool.Pool
	log   eventstore.LogReader
	p     Projection
	opts  RebuildOptions
	start time.Time

	gen      int    // the generation being built
	schema   string // its schema
	liveGen  int    // the live generation when the build started
	follow   bool   // the live tables are of the same version, healthy and started: compare at the swap
	position eventstore.Position
	applied  int64
	total    int64
	lastAt   time.Time // recorded_at of the last event applied
	swapped  bool
	// bulk folds the catch-up in memory while set (see BulkBuilder); once flushed, the
	// build goes on with Apply. Until then the tables have no indexes: indexes holds the
	// statements that restore them.
	bulk    BulkFold
	indexes droppedIndexes
}

// startBuild claims p's rebuild and creates the generation it builds.
func startBuild(ctx context.Context, pool *pgxpool.Pool, log eventstore.LogReader, p Projection, opts RebuildOptions) (*build, error) {
	if _, err := ensureCheckpoint(ctx, pool, p); err != nil {
		return nil, err
	}
	b := &build{pool: pool, log: log, p: p, opts: opts, start: time.Now(), bulk: newBulkFor(p)}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var version int
		var state, livePos string
		var rebuildGen *int
		var owner *string
		var alive bool
		err := tx.QueryRow(ctx, `SELECT version, generation, state, position, rebuild_generation, rebuild_owner,
			coalesce(rebuild_expires_at > now(), false) FROM projection_checkpoints WHERE name = $1 FOR UPDATE`, p.Name()).
			Scan(&version, &b.liveGen, &state, &livePos, &rebuildGen, &owner, &alive)
		if err != nil {
			return fmt.Errorf("read checkpoint: %w", err)
		}
		if owner != nil && *owner != opts.Owner && alive {
			return ErrRebuildRunning
		}
		if opts.initial && version == p.Version() && livePos != (eventstore.Position{}).String() {
			return errUpToDate
		}
		if err := dropOtherGenerations(ctx, tx, p.Name(), b.liveGen); err != nil {
			return err
		}
		b.gen = b.liveGen + 1
		if rebuildGen != nil && *rebuildGen >= b.gen {
			b.gen = *rebuildGen + 1
		}
		b.schema = GenerationSchema(p.Name(), b.gen)
		// Live tables that never applied an event have nothing to compare with: evening
		// them up at the swap would build them a second time.
		b.follow = version == p.Version() && state != StateFailed && livePos != (eventstore.Position{}).String()
		if err := createGeneration(ctx, tx, p, b.schema, true); err != nil {
			return err
		}
		if b.bulk != nil {
			if b.indexes, err = dropIndexes(ctx, tx, b.schema); err != nil {
				return err
			}

		}
		_, err = tx.Exec(ctx, `UPDATE projection_checkpoints SET rebuild_generation = $2, rebuild_version = $3,
			rebuild_position = '', rebuild_events = 0, rebuild_started_at = now(), rebuild_owner = $4,
			rebuild_expires_at = now() + $5::interval WHERE name = $1`, p.Name(), b.gen, p.Version(), opts.Owner, rebuildTTL)
		return err
	})
	if err != nil {
		return nil, err
	}
	b.total, _ = countEvents(ctx, log, eventstore.Position{}, countCap)
	return b, nil
}

// dropOtherGenerations drops every generation schema of the projection name but the
// live one: what an abandoned rebuild, or a swap that died before its clean-up, left.
func dropOtherGenerations(ctx context.Context, tx pgx.Tx, name string, live int) error {
	rows, err := tx.Query(ctx, `SELECT nspname FROM pg_namespace WHERE nspname ~ $1 AND nspname <> $2`,
		"^p_"+name+"_[0-9]+$", GenerationSchema(name, live))
	if err != nil {
		return fmt.Errorf("list generations of %s: %w", name, err)
	}
	schemas, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("list generations of %s: %w", name, err)
	}
	for _, schema := range schemas {
		if _, err := tx.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			return fmt.Errorf("drop %s: %w", schema, err)
		}
	}
	return nil
}

// applyPage applies the events of a page that follow the build's position, and records
// its progress (renewing its claim) in the same transaction. The caller has checked the
// page's stream continuity.
func (b *build) applyPage(ctx context.Context, page []Envelope) error {
	batch := after(page, b.position)
	if len(batch) == 0 {
		return nil
	}
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		// A rebuild lost in a crash starts again from scratch: its commits need not wait
		// for the disk.
		if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
			return err
		}
		// catchUp checked the batch's continuity, for every build at once.
		if err := b.fold(ctx, tx, batch); err != nil {
			return fmt.Errorf("%s: apply %d events: %w", b.p.Name(), len(batch), err)
		}
		last := batch[len(batch)-1].Position
		tag, err := tx.Exec(ctx, `UPDATE projection_checkpoints SET rebuild_position = $3,
			rebuild_events = rebuild_events + $4, rebuild_expires_at = now() + $5::interval
			WHERE name = $1 AND rebuild_generation = $2 AND rebuild_owner = $6`,
			b.p.Name(), b.gen, last.String(), len(batch), rebuildTTL, b.opts.Owner)
		if err != nil {
			return fmt.Errorf("record rebuild progress: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return errRebuildLost
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", b.p.Name(), err)
	}
	b.moved(batch)
	return nil
}

// fold applies batch to the new generation, in bulk while the build folds in bulk; a
// bulk fold that holds too much is flushed, and the build goes on batch by batch.
func (b *build) fold(ctx context.Context, tx pgx.Tx, batch []Envelope) error {
	if b.bulk == nil {
		return b.p.Apply(ctx, tx, b.schema, batch)
	}
	if err := b.bulk.Add(ctx, tx, b.schema, batch); err != nil {
		return err
	}
	if b.bulk.Held() <= b.opts.bulkMaxHeld {
		return nil
	}
	return b.flushBulk(ctx, tx)
}

// flushBulk writes what the bulk fold holds, in tx, and ends the bulk folding. A
// failed transaction fails the whole build, which starts again from scratch.
func (b *build) flushBulk(ctx context.Context, tx pgx.Tx) error {
	if b.bulk == nil {
		return nil
	}
	bulk := b.bulk
	b.bulk = nil
	if err := restoreIndexes(ctx, tx, b.indexes.keys); err != nil {
		return fmt.Errorf("%s: %w", b.p.Name(), err)
	}
	if err := bulk.Flush(ctx, tx, b.schema); err != nil {
		return fmt.Errorf("%s: write the bulk fold: %w", b.p.Name(), err)
	}
	if err := restoreIndexes(ctx, tx, b.indexes.others); err != nil {
		return fmt.Errorf("%s: %w", b.p.Name(), err)
	}
	return nil
}

// endBulk flushes the bulk fold, if any, in a transaction of its own.
func (b *build) endBulk(ctx context.Context) error {
	if b.bulk == nil {
		return nil
	}
	return pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
			return err
		}
		return b.flushBulk(ctx, tx)
	})
}

// moved records that batch was applied to the new generation.
func (b *build) moved(batch []Envelope) {
	last := batch[len(batch)-1]
	b.position, b.lastAt = last.Position, last.RecordedAt
	b.applied += int64(len(batch))
}

// applyTo applies a batch to p's tables in schema, after the stream continuity check.
func applyTo(ctx context.Context, tx pgx.Tx, p Projection, schema string, batch []Envelope) error {
	if err := checkContinuity(ctx, tx, schema, batch, scopeOf(p)); err != nil {
		return err
	}
	if err := p.Apply(ctx, tx, schema, batch); err != nil {
		return fmt.Errorf("%s: apply %d events: %w", p.Name(), len(batch), err)
	}
	return nil
}

// report tells the caller's Progress how far the build got.
func (b *build) report(done bool) {
	if b.opts.Progress == nil {
		return
	}
	b.opts.Progress(RebuildProgress{Projection: b.p.Name(), Applied: b.applied, Total: max(b.total, b.applied),
		Elapsed: time.Since(b.start), Done: done})
}

// abandon drops what an unfinished build built and clears its claim.
func (b *build) abandon(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE projection_checkpoints SET rebuild_generation = NULL, rebuild_version = NULL,
			rebuild_position = NULL, rebuild_events = NULL, rebuild_started_at = NULL, rebuild_owner = NULL,
			rebuild_expires_at = NULL WHERE name = $1 AND rebuild_generation = $2 AND rebuild_owner = $3`,
			b.p.Name(), b.gen, b.opts.Owner)
		if err != nil || tag.RowsAffected() == 0 {
			return err // the claim is another rebuild's now: so is the schema
		}
		_, err = tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{b.schema}.Sanitize()+" CASCADE")
		return err
	})
	if err != nil {
		b.opts.Logger.Warn("rebuild: clean up the abandoned generation", "projection", b.p.Name(), "schema", b.schema, "err", err)
	}
}
