package projections

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// A rebuild starts from empty tables, so a read model's fold needs nothing from them: it
// can keep the state it folded in memory across the batches of the catch-up and write it
// once, instead of loading and writing the rows each batch touches every batch. That is
// what BulkBuilder offers; it only changes how fast the tables fill, never what they
// hold: after flush they equal what Apply, batch by batch, makes of the same events.

// BulkBuilder is implemented by the read models whose rebuilds fold in bulk.
type BulkBuilder interface {
	// NewBulk answers an empty bulk fold for tables that hold nothing yet.
	NewBulk() BulkFold
}

// BulkFold folds the batches of a rebuild's catch-up, in log order.
type BulkFold interface {
	// add folds batch into memory, and may write in tx what no later event can change
	// (an append-only log row, a closed interval).
	Add(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error
	// held answers how many rows the fold keeps in memory, to bound it.
	Held() int
	// flush writes everything the fold keeps, in tx. The fold is not used afterwards.
	Flush(ctx context.Context, tx pgx.Tx, schema string) error
}

// bulkMaxHeld bounds the rows a bulk fold keeps: past it the fold is flushed and the
// build goes on batch by batch, so that a rebuild's memory stays bounded whatever the log.
const bulkMaxHeld = 250_000

// newBulkFor answers a bulk fold for p, or nil when p folds batch by batch only.
func newBulkFor(p Projection) BulkFold {
	if b, ok := p.(BulkBuilder); ok {
		return b.NewBulk()
	}
	return nil
}

// HeldFold is the bulk fold of a read model whose whole state is current state: its
// fold, kept across batches, is written once at the end, as Apply writes it after one
// batch. Folding without loading is right because the tables start empty.
type HeldFold struct {
	// Apply folds a batch into the read model's in-memory state.
	Apply func(batch []Envelope)
	// Size answers how many rows that state holds.
	Size func() int
	// Write writes that state to the tables in schema, once, at the end.
	Write func(ctx context.Context, tx pgx.Tx, schema string) error
}

// Add implements BulkFold: it folds batch in memory and writes nothing yet.
func (h *HeldFold) Add(_ context.Context, _ pgx.Tx, _ string, batch []Envelope) error {
	h.Apply(batch)
	return nil
}

// Held implements BulkFold.
func (h *HeldFold) Held() int { return h.Size() }

// Flush implements BulkFold: it writes the state once.
func (h *HeldFold) Flush(ctx context.Context, tx pgx.Tx, schema string) error {
	return h.Write(ctx, tx, schema)
}
