package projections

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// A rebuild starts from empty tables, so a read model's fold needs nothing from them: it
// can keep the state it folded in memory across the batches of the catch-up and write it
// once, instead of loading and writing the rows each batch touches every batch. That is
// what bulkBuilder offers; it only changes how fast the tables fill, never what they
// hold: after flush they equal what Apply, batch by batch, makes of the same events.

// bulkBuilder is implemented by the read models whose rebuilds fold in bulk.
type bulkBuilder interface {
	// newBulk answers an empty bulk fold for tables that hold nothing yet.
	newBulk() bulkFold
}

// bulkFold folds the batches of a rebuild's catch-up, in log order.
type bulkFold interface {
	// add folds batch into memory, and may write in tx what no later event can change
	// (an append-only log row, a closed interval).
	add(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error
	// held answers how many rows the fold keeps in memory, to bound it.
	held() int
	// flush writes everything the fold keeps, in tx. The fold is not used afterwards.
	flush(ctx context.Context, tx pgx.Tx, schema string) error
}

// bulkMaxHeld bounds the rows a bulk fold keeps: past it the fold is flushed and the
// build goes on batch by batch, so that a rebuild's memory stays bounded whatever the log.
const bulkMaxHeld = 250_000

// newBulkFor answers a bulk fold for p, or nil when p folds batch by batch only.
func newBulkFor(p Projection) bulkFold {
	if b, ok := p.(bulkBuilder); ok {
		return b.newBulk()
	}
	return nil
}

// heldFold is the bulk fold of a read model whose whole state is current state: its
// fold, kept across batches, is written once at the end, as Apply writes it after one
// batch. Folding without loading is right because the tables start empty.
type heldFold struct {
	apply func(batch []Envelope)
	size  func() int
	write func(ctx context.Context, tx pgx.Tx, schema string) error
}

func (h *heldFold) add(_ context.Context, _ pgx.Tx, _ string, batch []Envelope) error {
	h.apply(batch)
	return nil
}

func (h *heldFold) held() int { return h.size() }

func (h *heldFold) flush(ctx context.Context, tx pgx.Tx, schema string) error {
	return h.write(ctx, tx, schema)
}
