package projections

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"accessledger/internal/pgsql"
)

// copyMinRows is how many rows a table must get at once before AppendRows copies them.
// COPY costs two round trips and a statement that no cache prepares, which a live batch
// of a few events would pay on every table it appends to; below this many rows, one
// prepared multi-row INSERT in the batch's round trip costs less (single-row INSERTs
// cost about 0.08 ms of server time a row against 1-2 ms a COPY, measured under
// BenchmarkServe's mix). Bigger batches, a saturated projector's or a rebuild's, still
// copy.
const copyMinRows = 12

// TableRows are rows to append to one table: values in the order of columns.
type TableRows struct {
	Table   string   // the table's name, unqualified
	Columns []string // the columns each row gives values for
	Rows    [][]any  // the rows, values in the order of Columns
}

// AppendRows sends b, with the rows of every table in schema appended after the
// statements already queued in it: the tables with few rows as INSERTs queued in b, so
// that a live batch writes everything in one round trip, and the tables with many rows
// copied once b has run, so that they still follow its statements. It is a batch's last
// write: with nothing to copy, it sends b as SendLast does.
func AppendRows(ctx context.Context, tx pgx.Tx, b *pgx.Batch, schema string, tables ...TableRows) error {
	var copies []TableRows
	for _, t := range tables {
		if len(t.Rows) >= copyMinRows {
			copies = append(copies, t)
			continue
		}
		if len(t.Rows) == 0 {
			continue
		}
		args := make([]any, 0, len(t.Rows)*len(t.Columns))
		for _, row := range t.Rows {
			args = append(args, row...)
		}
		b.Queue(insertRowsSQL(schema, t.Table, t.Columns, len(t.Rows)), args...)
	}
	if len(copies) == 0 {
		return SendLast(ctx, tx, b, "write rows")
	}
	if err := SendBatch(ctx, tx, b, "write rows"); err != nil {
		return err
	}
	for _, t := range copies {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{schema, t.Table}, t.Columns, pgx.CopyFromRows(t.Rows)); err != nil {
			return fmt.Errorf("copy %s: %w", t.Table, err)
		}
	}
	return nil
}

// insertRowsSQL answers the INSERT of n rows of columns into schema.table: one
// statement, whose text (and so its prepared statement) depends on n, which is below
// copyMinRows.
func insertRowsSQL(schema, table string, columns []string, n int) string {
	return "INSERT INTO " + Qualified(schema, table) + " (" + strings.Join(columns, ", ") + ") VALUES " + pgsql.Values(n, len(columns))
}
