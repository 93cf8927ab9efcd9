package projections

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ReadSchema holds the views through which queries read every projection's live tables.
const ReadSchema = "rm"

// GenerationSchema answers the schema of one generation of a projection's tables.
func GenerationSchema(name string, generation int) string {
	return fmt.Sprintf("p_%s_%d", name, generation)
}

// createGeneration creates an empty schema for a generation and the projection's tables
// in it, with their query indexes unless deferIndexes (createQueryIndexes adds them).
func createGeneration(ctx context.Context, tx pgx.Tx, p Projection, schema string, deferIndexes bool) error {
	if _, err := tx.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	if _, err := tx.Exec(ctx, "CREATE TABLE "+Qualified(schema, streamVersionsTable)+
		" (stream text PRIMARY KEY, version bigint NOT NULL)"); err != nil {
		return fmt.Errorf("create stream versions in %s: %w", schema, err)
	}
	if err := p.Setup(ctx, tx, schema); err != nil {
		return fmt.Errorf("set up %s in %s: %w", p.Name(), schema, err)
	}
	if deferIndexes {
		return nil
	}
	return createQueryIndexes(ctx, tx, p, schema)
}

// createQueryIndexes creates the query indexes of p's tables in schema, if it has any.
func createQueryIndexes(ctx context.Context, q Querier, p Projection, schema string) error {
	indexer, ok := p.(QueryIndexer)
	if !ok {
		return nil
	}
	for _, ddl := range indexer.QueryIndexes(schema) {
		if _, err := q.Exec(ctx, ddl); err != nil {
			return fmt.Errorf("index %s in %s: %w", p.Name(), schema, err)
		}
	}
	return nil
}

// pointViews makes the rm views of p's tables read schema. Run in the transaction that
// switches generations, it is atomic for readers: they see the old tables or the new.
func pointViews(ctx context.Context, tx pgx.Tx, p Projection, schema string) error {
	for _, table := range p.Tables() {
		view := Qualified(ReadSchema, table)
		// DROP and CREATE rather than CREATE OR REPLACE: a new version may change columns.
		sql := fmt.Sprintf("DROP VIEW IF EXISTS %s; CREATE VIEW %s AS SELECT * FROM %s", view, view, Qualified(schema, table))
		if _, err := tx.Exec(ctx, sql); err != nil {
			return fmt.Errorf("point view %s at %s: %w", view, schema, err)
		}
	}
	return nil
}

// InstallForTest creates generation 1 of p, points its views at it, and answers the
// schema. Tests of read models use it with ApplyForTest; the runtime does the same
// through its checkpoints.
func InstallForTest(ctx context.Context, pool *pgxpool.Pool, p Projection) (string, error) {
	schema := GenerationSchema(p.Name(), 1)
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := createGeneration(ctx, tx, p, schema, false); err != nil {
			return err
		}
		return pointViews(ctx, tx, p, schema)
	})
	return schema, err
}

// ApplyForTest applies one batch to p's tables in schema, in a transaction of its own,
// with the same stream continuity check as the runtime.
func ApplyForTest(ctx context.Context, pool *pgxpool.Pool, p Projection, schema string, batch []Envelope) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return applyTo(ctx, tx, p, schema, batch)
	})
}
