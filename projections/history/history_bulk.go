package history

import (
	"accessledger/projections"
	"accessledger/projections/roster"
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// historyBulk folds a rebuild's catch-up in memory. Each batch writes what is settled,
// the changes and the intervals that ended, which nothing can alter any more; the
// current facts stay in memory until the flush, so that no interval is written open and
// then updated when it ends.
type historyBulk struct {
	f *historyFold
}

// NewBulk implements BulkBuilder.
func (History) NewBulk() projections.BulkFold {
	return &historyBulk{f: newHistoryFold()}
}

func newHistoryFold() *historyFold {
	return &historyFold{members: map[roster.Member]*historyMember{}, workspaces: map[uuid.UUID]map[historyKey]*historyFact{}}
}

// Add implements projections.BulkFold.
func (b *historyBulk) Add(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	for i := range batch {
		b.f.apply(&batch[i])
	}
	return b.f.takeSettled().write(ctx, tx, schema)
}

// Held implements projections.BulkFold.
func (b *historyBulk) Held() int { return len(b.f.opened) + len(b.f.members) }

// Flush implements projections.BulkFold.
func (b *historyBulk) Flush(ctx context.Context, tx pgx.Tx, schema string) error {
	return b.f.write(ctx, tx, schema)
}

// takeSettled moves what the fold has settled into a fold of its own, to be written:
// the changes recorded, the stored facts ended, and the new facts already ended. The
// new facts still current stay.
func (f *historyFold) takeSettled() *historyFold {
	settled := &historyFold{changes: f.changes, ended: f.ended}
	open := make([]*historyFact, 0, len(f.opened))
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
