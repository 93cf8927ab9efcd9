package projectiontest

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
	"accessledger/projections"
)

// Given builds a read model from events made up by the test, on a fresh database.
type Given struct {
	T        *testing.T
	Pool     *pgxpool.Pool
	P        projections.Projection
	Schema   string
	Position uint64
	Versions map[string]int64
	Now      time.Time
	Actor    string
}

// NewGiven installs p on a fresh database, closed when t ends, with the clock at
// 2026-03-02 09:00 UTC and the system as actor.
func NewGiven(t *testing.T, p projections.Projection) *Given {
	t.Helper()
	pool := pgtest.NewPool(t)
	schema, err := projections.InstallForTest(context.Background(), pool, p)
	if err != nil {
		t.Fatal(err)
	}
	return &Given{T: t, Pool: pool, P: p, Schema: schema, Versions: map[string]int64{},
		Now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Actor: "system"}
}

// At sets the time of the events made next.
func (g *Given) At(t time.Time) *Given { g.Now = t; return g }

// By sets the actor of the events made next.
func (g *Given) By(account uuid.UUID) *Given { g.Actor = account.String(); return g }

// Event wraps payload as the next event of stream, as the store would answer it.
func (g *Given) Event(stream string, payload domain.Event) projections.Envelope {
	g.T.Helper()
	data, err := json.Marshal(payload)
	if err != nil {
		g.T.Fatal(err)
	}
	g.Position++
	g.Versions[stream]++
	return projections.Envelope{
		Event: eventstore.Event{
			ID: uuid.New(), Stream: stream, Version: g.Versions[stream],
			Position: eventstore.NewPosition(1, g.Position), Type: payload.EventType(), SchemaVersion: 1,
			Data:       data,
			Metadata:   eventstore.Metadata{Actor: g.Actor, OccurredAt: g.Now, CommandID: uuid.New()},
			RecordedAt: g.Now,
		},
		Payload: payload,
	}
}

// Apply applies events in batches of size (0: all in one batch). A negative size folds
// them in bulk, as a rebuild does, in batches of -size, and flushes at the end.
func (g *Given) Apply(size int, events ...projections.Envelope) {
	g.T.Helper()
	if size < 0 {
		BulkApply(g, g.P, g.Schema, -size, events)
		return
	}
	if size == 0 {
		size = len(events)
	}
	for start := 0; start < len(events); start += size {
		end := min(start+size, len(events))
		if err := projections.ApplyForTest(context.Background(), g.Pool, g.P, g.Schema, events[start:end]); err != nil {
			g.T.Fatalf("apply events %d..%d: %v", start, end-1, err)
		}
	}
}

// BulkApply folds events into p's empty tables in schema as a rebuild's catch-up does: in
// bulk (when p folds in bulk), in batches of size, one transaction each, then flushes.
func BulkApply(g *Given, p projections.Projection, schema string, size int, events []projections.Envelope) {
	g.T.Helper()
	ctx := context.Background()
	builder, ok := p.(projections.BulkBuilder)
	if !ok {
		g.T.Fatalf("%s does not fold in bulk", p.Name())
	}
	bulk := builder.NewBulk()
	for start := 0; start < len(events); start += size {
		end := min(start+size, len(events))
		err := pgx.BeginFunc(ctx, g.Pool, func(tx pgx.Tx) error { return bulk.Add(ctx, tx, schema, events[start:end]) })
		if err != nil {
			g.T.Fatalf("bulk %s events %d..%d: %v", p.Name(), start, end-1, err)
		}
	}
	if err := pgx.BeginFunc(ctx, g.Pool, func(tx pgx.Tx) error { return bulk.Flush(ctx, tx, schema) }); err != nil {
		g.T.Fatalf("flush the bulk %s: %v", p.Name(), err)
	}
}
