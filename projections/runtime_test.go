package projections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
)

// counter is a test projection: how many events each stream has. Any double or missed
// application shows as a wrong count.
type counter struct {
	name    string
	failOn  string // a workspace name whose rename it cannot apply
	version int    // 0 is version 1
	weight  int64  // what each event counts for; 0 is 1
}

func (c counter) Name() string     { return c.name }
func (c counter) Version() int     { return max(1, c.version) }
func (c counter) Tables() []string { return []string{c.name + "_counts"} }

func (c counter) Setup(ctx context.Context, tx pgx.Tx, schema string) error {
	_, err := tx.Exec(ctx, "CREATE TABLE "+Qualified(schema, c.name+"_counts")+" (stream text PRIMARY KEY, n bigint NOT NULL)")
	return err
}

func (c counter) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error {
	counts := map[string]int64{}
	for _, e := range batch {
		if r, ok := e.Payload.(domain.WorkspaceRenamed); ok && c.failOn != "" && r.Name == c.failOn {
			return fmt.Errorf("cannot apply the rename to %q", r.Name)
		}
		counts[e.Stream] += max(1, c.weight)
	}
	for stream, n := range counts {
		_, err := tx.Exec(ctx, "INSERT INTO "+Qualified(schema, c.name+"_counts")+` VALUES ($1, $2)
			ON CONFLICT (stream) DO UPDATE SET n = `+Qualified(schema, c.name+"_counts")+`.n + excluded.n`, stream, n)
		if err != nil {
			return err
		}
	}
	return nil
}

// rig is an event store and a database for runtimes.
type rig struct {
	t     testing.TB
	url   string
	pool  *pgxpool.Pool
	store *postgres.Store
}

func newRig(t testing.TB) *rig {
	t.Helper()
	return openRig(t, pgtest.NewDatabase(t))
}

// openRig opens a pool and an event store on the database at url.
func openRig(t testing.TB, url string) *rig {
	t.Helper()
	config, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	config.MaxConns = 8
	pool, err := pgxpool.NewWithConfig(context.Background(), config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store, err := postgres.Open(context.Background(), pool, postgres.Options{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	return &rig{t: t, url: url, pool: pool, store: store}
}

// rename appends n renames to stream and answers the last position.
func (r *rig) rename(stream string, n int, name string) eventstore.Position {
	r.t.Helper()
	var last eventstore.Position
	for range n {
		data, _ := json.Marshal(domain.WorkspaceRenamed{Name: name})
		res, err := r.store.Append(context.Background(), stream, eventstore.Any(),
			eventstore.EventData{Type: domain.TypeWorkspaceRenamed, Data: data, Metadata: eventstore.Metadata{Actor: "system"}})
		if err != nil {
			r.t.Fatal(err)
		}
		last = res.Position
	}
	return last
}

// start runs a runtime until the test ends or stop is called.
func (r *rig) start(opts Options, ps ...Projection) (rt *Runtime, stop func()) {
	r.t.Helper()
	opts.Subscriber.LeaseTTL = 2 * time.Second
	opts.RetryIntervals = []time.Duration{10 * time.Millisecond, 20 * time.Millisecond}
	rt = NewRuntime(r.pool, r.store, ps, opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := rt.Run(ctx); err != nil && ctx.Err() == nil {
			r.t.Errorf("runtime: %v", err)
		}
	}()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	r.t.Cleanup(stop)
	return rt, stop
}

func (r *rig) counts(table string) map[string]int64 {
	r.t.Helper()
	rows, err := r.pool.Query(context.Background(), "SELECT stream, n FROM "+Qualified(ReadSchema, table))
	if err != nil {
		r.t.Fatal(err)
	}
	got := map[string]int64{}
	var s string
	var n int64
	if _, err := pgx.ForEachRow(rows, []any{&s, &n}, func() error { got[s] = n; return nil }); err != nil {
		r.t.Fatal(err)
	}
	return got
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestRuntimeFollowsTheLog(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.rename("workspace-a", 30, "x") // before the runtime starts: caught up in batches
	rt, _ := r.start(Options{Subscriber: SubscriberOptions{BatchSize: 7}}, counter{name: "one"}, counter{name: "two"})
	last := r.rename("workspace-b", 5, "y") // while it runs: one by one
	if err := rt.WaitFor(waitCtx(t), last); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"one_counts", "two_counts"} {
		if got := r.counts(table); got["workspace-a"] != 30 || got["workspace-b"] != 5 {
			t.Errorf("%s = %v", table, got)
		}
	}
}

func TestPoisonEventStopsOnlyItsProjection(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.rename("workspace-a", 3, "fine")
	poison := r.rename("workspace-a", 1, "poison")
	last := r.rename("workspace-b", 4, "fine")
	rt, _ := r.start(Options{}, counter{name: "picky", failOn: "poison"}, counter{name: "easy"})
	if err := rt.WaitFor(waitCtx(t), last, "easy"); err != nil {
		t.Fatalf("the healthy projection did not keep up: %v", err)
	}
	var state, lastErr, stream, position string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && state != StateFailed {
		err := r.pool.QueryRow(context.Background(), `SELECT state, coalesce(last_error, ''), coalesce(error_stream, ''), position
			FROM projection_checkpoints WHERE name = 'picky'`).Scan(&state, &lastErr, &stream, &position)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if state != StateFailed || lastErr == "" {
		t.Fatalf("picky is %s (%q), want failed with an error", state, lastErr)
	}
	at, _ := eventstore.ParsePosition(position)
	if !at.Before(poison) {
		t.Errorf("checkpoint %s is not before the poison event at %s", at, poison)
	}
	if got := r.counts("picky_counts"); got["workspace-a"] != 3 {
		t.Errorf("picky counted %v, want the 3 events before the poison", got)
	}
}

// TestGapStopsTheProjection: a batch whose first event of a stream is not the one after
// the last applied (an event of the stream missed) is a poison gap at that version.
func TestGapStopsTheProjection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	p := counter{name: "gaps"}
	schema, err := InstallForTest(ctx, pool, p)
	if err != nil {
		t.Fatal(err)
	}
	// Versions 1 and 3 of one stream: version 2 is never applied.
	e1, e3 := renamedAt("workspace-a", 1, "a"), renamedAt("workspace-a", 3, "c")
	if err := ApplyForTest(ctx, pool, p, schema, []Envelope{e1}); err != nil {
		t.Fatal(err)
	}
	err = ApplyForTest(ctx, pool, p, schema, []Envelope{e3})
	var poison *PoisonError
	if !errors.As(err, &poison) || !errors.Is(err, ErrGap) || poison.Version != 3 {
		t.Fatalf("error %v, want a gap at version 3", err)
	}
}

// renamedAt answers a rename as the store answers the version-th event of stream, at
// that position of the log. (Not projectiontest: it imports this package.)
func renamedAt(stream string, version int64, name string) Envelope {
	payload := domain.WorkspaceRenamed{Name: name}
	data, _ := json.Marshal(payload) // a plain struct: cannot fail
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return Envelope{
		Event: eventstore.Event{ID: uuid.New(), Stream: stream, Version: version,
			Position: eventstore.NewPosition(1, uint64(version)), Type: payload.EventType(), SchemaVersion: 1,
			Data: data, Metadata: eventstore.Metadata{Actor: "system", OccurredAt: now}, RecordedAt: now},
		Payload: payload,
	}
}
