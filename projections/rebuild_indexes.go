package projections

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// A bulk build fills its tables without their indexes, which are then built once, by
// sorting, instead of being maintained row by row: the way PostgreSQL's manual advises
// to load a table (Populating a Database, 14.4). The indexes, and the primary and unique
// keys come back before the bulk fold is flushed, as the flush writes with ON CONFLICT,
// which needs them; the other indexes after it, so that they too are built by sorting.

// droppedIndexes are the statements that restore what dropIndexes dropped: the primary
// and unique keys, which the flush's ON CONFLICT clauses need, and the other indexes,
// built after the flush.
type droppedIndexes struct {
	keys, others []string
}

// dropIndexes drops every index of the tables in schema and answers the statements that
// create them again.
func dropIndexes(ctx context.Context, tx pgx.Tx, schema string) (droppedIndexes, error) {
	var restore droppedIndexes
	var drop []string
	keys, err := tx.Query(ctx, `SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
		FROM pg_constraint WHERE connamespace = $1::regnamespace AND contype IN ('p', 'u') ORDER BY conrelid, conname`, schema)
	if err != nil {
		return restore, fmt.Errorf("list the keys of %s: %w", schema, err)
	}
	var table, name, def string
	_, err = pgx.ForEachRow(keys, []any{&table, &name, &def}, func() error {
		drop = append(drop, "ALTER TABLE "+table+" DROP CONSTRAINT "+name)
		restore.keys = append(restore.keys, "ALTER TABLE "+table+" ADD CONSTRAINT "+name+" "+def)
		return nil
	})
	if err != nil {
		return restore, fmt.Errorf("list the keys of %s: %w", schema, err)
	}
	indexes, err := tx.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE c.relnamespace = $1::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
		ORDER BY i.indexrelid`, schema)
	if err != nil {
		return restore, fmt.Errorf("list the indexes of %s: %w", schema, err)
	}
	_, err = pgx.ForEachRow(indexes, []any{&name, &def}, func() error {
		drop = append(drop, "DROP INDEX "+name)
		restore.others = append(restore.others, def)
		return nil
	})
	if err != nil {
		return restore, fmt.Errorf("list the indexes of %s: %w", schema, err)
	}
	for _, ddl := range drop {
		if _, err := tx.Exec(ctx, ddl); err != nil {
			return restore, fmt.Errorf("drop an index in %s: %w", schema, err)
		}
	}
	return restore, nil
}

// restoreIndexes runs statements that dropIndexes answered.
func restoreIndexes(ctx context.Context, tx pgx.Tx, ddls []string) error {
	for _, ddl := range ddls {
		if _, err := tx.Exec(ctx, ddl); err != nil {
			return fmt.Errorf("restore an index: %s: %w", ddl, err)
		}
	}
	return nil
}
