package projections

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// given builds a read model from events made up by the test, on a fresh database.
type given struct {
	t        *testing.T
	pool     *pgxpool.Pool
	p        Projection
	schema   string
	position uint64
	versions map[string]int64
	now      time.Time
	actor    string
}

func newGiven(t *testing.T, p Projection) *given {
	t.Helper()
	pool := pgtest.NewPool(t)
	schema, err := InstallForTest(context.Background(), pool, p)
	if err != nil {
		t.Fatal(err)
	}
	return &given{t: t, pool: pool, p: p, schema: schema, versions: map[string]int64{},
		now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), actor: "system"}
}

// at sets the time of the events made next.
func (g *given) at(t time.Time) *given { g.now = t; return g }

// by sets the actor of the events made next.
func (g *given) by(account uuid.UUID) *given { g.actor = account.String(); return g }

// event wraps payload as the next event of stream, as the store would answer it.
func (g *given) event(stream string, payload domain.Event) Envelope {
	g.t.Helper()
	data, err := json.Marshal(payload)
	if err != nil {
		g.t.Fatal(err)
	}
	g.position++
	g.versions[stream]++
	return Envelope{
		Event: eventstore.Event{
			ID: uuid.New(), Stream: stream, Version: g.versions[stream],
			Position: eventstore.NewPosition(1, g.position), Type: payload.EventType(), SchemaVersion: 1,
			Data:       data,
			Metadata:   eventstore.Metadata{Actor: g.actor, OccurredAt: g.now, CommandID: uuid.New()},
			RecordedAt: g.now,
		},
		Payload: payload,
	}
}

// apply applies events in batches of size (0: all in one batch). A negative size folds
// them in bulk, as a rebuild does, in batches of -size, and flushes at the end.
func (g *given) apply(size int, events ...Envelope) {
	g.t.Helper()
	if size < 0 {
		bulkApply(g, g.p, g.schema, -size, events)
		return
	}
	if size == 0 {
		size = len(events)
	}
	for start := 0; start < len(events); start += size {
		end := min(start+size, len(events))
		if err := ApplyForTest(context.Background(), g.pool, g.p, g.schema, events[start:end]); err != nil {
			g.t.Fatalf("apply events %d..%d: %v", start, end-1, err)
		}
	}
}

// bulkApply folds events into p's empty tables in schema as a rebuild's catch-up does: in
// bulk (when p folds in bulk), in batches of size, one transaction each, then flushes.
func bulkApply(g *given, p Projection, schema string, size int, events []Envelope) {
	g.t.Helper()
	ctx := context.Background()
	bulk := newBulkFor(p)
	if bulk == nil {
		g.t.Fatalf("%s does not fold in bulk", p.Name())
	}
	for start := 0; start < len(events); start += size {
		end := min(start+size, len(events))
		err := pgx.BeginFunc(ctx, g.pool, func(tx pgx.Tx) error { return bulk.Add(ctx, tx, schema, events[start:end]) })
		if err != nil {
			g.t.Fatalf("bulk %s events %d..%d: %v", p.Name(), start, end-1, err)
		}
	}
	if err := pgx.BeginFunc(ctx, g.pool, func(tx pgx.Tx) error { return bulk.Flush(ctx, tx, schema) }); err != nil {
		g.t.Fatalf("flush the bulk %s: %v", p.Name(), err)
	}
}
