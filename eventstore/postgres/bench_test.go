package postgres

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
	"accessledger/internal/pgtest"
)

// BenchmarkAppend compares single-event appends through the store with plain one-row
// INSERTs (one transaction each) into a table of the same shape and indexes, on the
// same database, at concurrency 1 and 16. One op is one event. The store's rate over
// the INSERT rate is the figure to watch.
func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	pool := benchPool(b)
	store := openStore(b, pool)
	if _, err := pool.Exec(ctx, `CREATE TABLE events_baseline (LIKE events INCLUDING ALL)`); err != nil {
		b.Fatal(err)
	}
	data := json.RawMessage(`{"account_id":"0190b3c4-7f1e-7cc0-9a40-2b6e7c1d5f00","role":"member"}`)
	storeWorker := func(b *testing.B) func() error {
		stream, version := "member-"+uuid.NewString(), int64(0)
		return func() error {
			e := eventstore.EventData{ID: uuid.Must(uuid.NewV7()), Type: "member.role_changed", Data: data,
				Metadata: eventstore.Metadata{CommandID: uuid.New(), CorrelationID: uuid.New(), Actor: "system"}}
			_, err := store.Append(ctx, stream, eventstore.Exact(version), e)
			version++
			return err
		}
	}
	insertWorker := func(b *testing.B) func() error {
		stream, version := "member-"+uuid.NewString(), int64(0)
		return func() error {
			version++
			_, err := pool.Exec(ctx, `INSERT INTO events_baseline (`+insertColumns+`)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
				[16]byte(uuid.Must(uuid.NewV7())), stream, version, "member.role_changed", 1, []byte(data),
				[16]byte(uuid.New()), [16]byte(uuid.New()), nil, "system", "", time.Now(), randomHash(), randomHash())
			return err
		}
	}
	for _, c := range []int{1, 16} {
		b.Run(fmt.Sprintf("store-c%d", c), func(b *testing.B) { runWorkers(b, c, storeWorker) })
		b.Run(fmt.Sprintf("insert-c%d", c), func(b *testing.B) { runWorkers(b, c, insertWorker) })
	}
}

// runWorkers shares b.N ops among c goroutines, each with a worker of its own.
func runWorkers(b *testing.B, c int, newWorker func(*testing.B) func() error) {
	workers := make([]func() error, c)
	for i := range workers {
		workers[i] = newWorker(b)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for _, op := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				if err := op(); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func benchPool(b *testing.B) *pgxpool.Pool {
	b.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = 32
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool
}

func randomHash() []byte {
	h := make([]byte, 32)
	_, _ = rand.Read(h)
	return h
}
