package history

import (
	"accessledger/projections"
	"accessledger/projections/roster"
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// bulk folds a rebuild's catch-up in memory. Each batch writes what is settled,
// the changes and the intervals that ended, which nothing can alter any more; the
// current facts stay in memory until the flush, so that no interval is written open and
// then updated when it ends.
type bulk struct {
	f *fold
}

// NewBulk implements BulkBuilder.
func (History) NewBulk() projections.BulkFold {
	return &bulk{f: newHistoryFold()}
}

func newHistoryFold() *fold {
	return &fold{members: map[roster.Member]*member{}, workspaces: map[uuid.UUID]map[factKey]*fact{}}
}

// Add implements projections.BulkFold.
func (b *bulk) Add(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	for i := range batch {
		b.f.apply(&batch[i])
	}
	return b.f.takeSettled().write(ctx, tx, schema)
}

// Held implements projections.BulkFold.
func (b *bulk) Held() int { return len(b.f.opened) + len(b.f.members) }

// Flush implements projections.BulkFold.
func (b *bulk) Flush(ctx context.Context, tx pgx.Tx, schema string) error {
	return b.f.write(ctx, tx, schema)
}

// takeSettled moves what the fold has settled into a fold of its own, to be written:
// the changes recorded, the stored facts ended, and the new facts already ended. The
// new facts still current stay.
func (f *fold) takeSettled() *fold {
	settled := &fold{changes: f.changes, ended: f.ended}
	open := make([]*fact, 0, len(f.opened))
	for _, r := range f.opened {
		if r.validTo != nil {
			settled.opened = append(settled.opened, r)
		} else {
			open = append(open, r)
		}
	}
	f.opened, f.changes, f.ended = open, nil, nil
	return settled
}
