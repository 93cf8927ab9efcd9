package projections

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/jackc/pgx/v5"

	"accessledger/eventstore"
)

// swap finishes the build and makes it the live generation, in one transaction that
// holds the checkpoint row, and so the live projector, off: it applies what the log
// gained since the catch-up, compares with the live tables when they are comparable,
// repoints the rm views and the checkpoint, and afterwards drops the old generation.
func (b *build) swap(ctx context.Context) (RebuildResult, error) {
	var live checkpoint
	var compared bool
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		var err error
		if live, err = b.lockLive(ctx, tx); err != nil {
			return err
		}
		compared = b.follow && live.version == b.p.Version() && live.state != StateFailed && live.generation == b.liveGen
		if compared {
			if err := b.meet(ctx, tx, live); err != nil {
				return err
			}
			if err := b.compare(ctx, tx, live.schema()); err != nil {
				return err
			}
		} else if err := b.finishToHead(ctx, tx); err != nil {
			return err
		}
		if err := pointViews(ctx, tx, b.p, b.schema); err != nil {
			return err
		}
		return b.promote(ctx, tx)
	})
	if err != nil {
		return RebuildResult{Projection: b.p.Name()}, err
	}
	b.swapped = true
	b.dropGeneration(ctx, live.schema())
	return RebuildResult{Projection: b.p.Name(), Generation: b.gen, Version: b.p.Version(), Events: b.applied,
		Elapsed: time.Since(b.start), Position: b.position, Compared: compared}, nil
}

// lockLive locks the checkpoint row and answers the live checkpoint, if the build
// still holds its claim.
func (b *build) lockLive(ctx context.Context, tx pgx.Tx) (checkpoint, error) {
	c := checkpoint{name: b.p.Name()}
	var pos string
	var gen *int
	var owner *string
	err := tx.QueryRow(ctx, `SELECT version, generation, position, epoch, state, rebuild_generation, rebuild_owner
		FROM projection_checkpoints WHERE name = $1 FOR UPDATE`, c.name).
		Scan(&c.version, &c.generation, &pos, &c.epoch, &c.state, &gen, &owner)
	if err != nil {
		return c, fmt.Errorf("lock checkpoint: %w", err)
	}
	if gen == nil || *gen != b.gen || owner == nil || *owner != b.opts.Owner {
		return c, errRebuildLost
	}
	c.position, err = eventstore.ParsePosition(pos)
	return c, err
}

// meet brings the build and the live generation to the same position: the build up to
// the live checkpoint, or the live tables up to the build (when the live projector is
// behind, or not running).
func (b *build) meet(ctx context.Context, tx pgx.Tx, live checkpoint) error {
	if b.position.Before(live.position) {
		return b.finish(ctx, tx, live.position)
	}
	for at := live.position; at.Before(b.position); {
		envs, err := b.read(ctx, at, b.position)
		if err != nil || len(envs) == 0 {
			return err
		}
		if err := applyTo(ctx, tx, b.p, live.schema(), envs); err != nil {
			return fmt.Errorf("bring the live tables to the rebuild's position: %w", err)
		}
		at = envs[len(envs)-1].Position
	}
	return nil
}

// finishToHead applies to the build, in tx, the log up to its head as it is now: the
// live projector resumes from there.
func (b *build) finishToHead(ctx context.Context, tx pgx.Tx) error {
	head, err := b.log.Head(ctx)
	if err != nil {
		return err
	}
	return b.finish(ctx, tx, head)
}

// finish applies to the build, in tx, the log after its position up to until.
func (b *build) finish(ctx context.Context, tx pgx.Tx, until eventstore.Position) error {
	for b.position.Before(until) {
		envs, err := b.read(ctx, b.position, until)
		if err != nil || len(envs) == 0 {
			return err
		}
		if err := applyTo(ctx, tx, b.p, b.schema, envs); err != nil {
			return err
		}
		b.moved(envs)
	}
	return nil
}

// read answers a decoded page of the log after at, up to until.
func (b *build) read(ctx context.Context, at, until eventstore.Position) ([]Envelope, error) {
	events, err := b.log.ReadAll(ctx, at, b.opts.BatchSize)
	if err != nil {
		return nil, err
	}
	for i := range events {
		if until.Before(events[i].Position) {
			events = events[:i]
			break
		}
	}
	return Decode(events)
}

// compare fails with ErrMismatch when a table of the build differs from the live one
// in schema live; identity columns (surrogate keys, numbered by insertion order) are
// left out. Tables are first compared by their row count and the sum of their rows'
// 64-bit hashes, in one scan each; only tables that differ there are compared row by row
// to say how.
func (b *build) compare(ctx context.Context, tx pgx.Tx, live string) error {
	var diffs []string
	for _, table := range append(b.p.Tables(), streamVersionsTable) {
		columns, err := comparableColumns(ctx, tx, b.schema, table)
		if err != nil {
			return err
		}
		cols := strings.Join(columns, ", ")
		oldT, newT := Qualified(live, table), Qualified(b.schema, table)
		same, err := sameDigest(ctx, tx, cols, oldT, newT)
		if err != nil || same {
			if err != nil {
				return fmt.Errorf("compare %s: %w", table, err)
			}
			continue
		}
		var onlyLive, onlyNew int64
		err = tx.QueryRow(ctx, fmt.Sprintf(`SELECT
			(SELECT count(*) FROM (SELECT %[1]s FROM %[2]s EXCEPT ALL SELECT %[1]s FROM %[3]s) a),
			(SELECT count(*) FROM (SELECT %[1]s FROM %[3]s EXCEPT ALL SELECT %[1]s FROM %[2]s) b)`, cols, oldT, newT)).
			Scan(&onlyLive, &onlyNew)
		if err != nil {
			return fmt.Errorf("compare %s: %w", table, err)
		}
		if onlyLive+onlyNew > 0 {
			diffs = append(diffs, fmt.Sprintf("%s: %d rows only in the live tables, %d only in the rebuilt", table, onlyLive, onlyNew))
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	err := fmt.Errorf("%w: %s", ErrMismatch, strings.Join(diffs, "; "))
	if !b.opts.Force {
		return err
	}
	b.opts.Logger.Warn("rebuild: swapping despite differences (forced)", "projection", b.p.Name(), "err", err)
	return nil
}

// sameDigest tells whether two tables have the same count of rows and the same sum of
// row hashes over cols: an order-independent digest that one scan computes. PostgreSQL
// 14 and later hash the row's values as they are (hash_record_extended); older servers
// hash the row's text, about twice as slow.
func sameDigest(ctx context.Context, tx pgx.Tx, cols, oldT, newT string) (bool, error) {
	hash := "hash_record_extended(ROW(%s), 0)"
	if serverMajor(tx.Conn().PgConn()) < 14 {
		hash = "hashtextextended(ROW(%s)::text, 0)"
	}
	digest := func(table string) string {
		return fmt.Sprintf(`(SELECT count(*)::text || ':' || coalesce(sum(`+hash+`), 0)::text FROM %s)`, cols, table)
	}
	var same bool
	err := tx.QueryRow(ctx, "SELECT "+digest(oldT)+" = "+digest(newT)).Scan(&same)
	return same, err
}

// serverMajor answers the major version of the server behind conn, e.g. 15.
func serverMajor(conn *pgconn.PgConn) int {
	v := conn.ParameterStatus("server_version")
	end := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(v)
	}
	n, _ := strconv.Atoi(v[:end])
	return n
}

// comparableColumns answers the quoted columns of schema.table but its identity ones.
func comparableColumns(ctx context.Context, tx pgx.Tx, schema, table string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = $1 AND table_name = $2 AND is_identity = 'NO' ORDER BY ordinal_position`, schema, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s.%s: %w", schema, table, err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("columns of %s.%s: %w", schema, table, err)
	}
	for i, n := range names {
		names[i] = pgx.Identifier{n}.Sanitize()
	}
	return names, nil
}

// promote makes the build the live generation of the checkpoint, under a new epoch so
// that the live projector's next commit fails and it resumes on the new generation.
func (b *build) promote(ctx context.Context, tx pgx.Tx) error {
	var lastAt *time.Time
	if !b.lastAt.IsZero() {
		lastAt = &b.lastAt
	}
	_, err := tx.Exec(ctx, `UPDATE projection_checkpoints SET version = $2, generation = $3, position = $4,
		events_applied = $5, last_event_at = $6, epoch = epoch + 1, state = 'running', lease_owner = NULL,
		lease_expires_at = NULL, last_error = NULL, error_stream = NULL, error_position = NULL, failed_at = NULL,
		rebuild_generation = NULL, rebuild_version = NULL, rebuild_position = NULL, rebuild_events = NULL,
		rebuild_started_at = NULL, rebuild_owner = NULL, rebuild_expires_at = NULL, updated_at = now()
		WHERE name = $1`, b.p.Name(), b.p.Version(), b.gen, b.position.String(), b.applied, lastAt)
	if err != nil {
		return fmt.Errorf("promote generation %d: %w", b.gen, err)
	}
	return nil
}

// dropGeneration drops a generation that no view reads any more. It waits for the
// queries still reading it; a failure only leaves the schema for the next rebuild.
func (b *build) dropGeneration(ctx context.Context, schema string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if _, err := b.pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		b.opts.Logger.Warn("rebuild: drop the old generation", "projection", b.p.Name(), "schema", schema, "err", err)
	}
}
