// Package postgres is the default event store: every stream in one append-only Postgres
// table (see migrations/001_events.sql).
//
// Appends are single INSERT statements, so the events INSERT is always the first write
// of its transaction and the transaction id orders the global log correctly. Readers of
// the global log see only rows below the oldest running transaction and resume from the
// pair (transaction id, position), which never skips an event that commits late.
// LISTEN/NOTIFY wakes tailing readers in other processes; polling is the fallback.
package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/singleflight"

	"accessledger/eventstore"
	"accessledger/internal/broadcast"
)

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// Logger receives the store's warnings (lost notifications, reconnects).
	Logger *slog.Logger
	// PollInterval is how often a waiting reader looks for new events when no
	// notification arrives (default 1s). It bounds the delay after a wake-up is lost.
	PollInterval time.Duration
	// NotifyInterval is the shortest time between two cross-process wake-ups (default
	// 5ms). Appends in between share one NOTIFY, so a burst of appends costs one.
	NotifyInterval time.Duration
	// HeadCacheSize is how many stream heads (version and hash) the store remembers so
	// that an append with an exact expected version is one statement (default 100,000).
	HeadCacheSize int
	// Now is the clock for events without an occurred-at time (default time.Now).
	Now func() time.Time
}

func (o *Options) setDefaults() {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.NotifyInterval <= 0 {
		o.NotifyInterval = 5 * time.Millisecond
	}
	if o.HeadCacheSize <= 0 {
		o.HeadCacheSize = 100_000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Store is the Postgres eventstore.Store. Create it with Open and release it with Close.
type Store struct {
	pool  *pgxpool.Pool
	opts  Options
	heads *lru.Cache[string, streamHead]
	wake  *broadcast.Broadcast
	ended *broadcast.Broadcast // fired when a transaction of this process ends (TransactionEnded)
	// checks shares a look for new events among the readers waiting after one position.
	checks singleflight.Group

	notifyPending chan struct{}
	cancel        context.CancelFunc
	done          sync.WaitGroup
}

var _ eventstore.Store = (*Store)(nil)

// streamHead is the last event of a stream as this process last saw it. Events never
// change, so a head is never wrong, only possibly no longer the last.
type streamHead struct {
	version int64
	hash    eventstore.Hash
}

// Open checks that the schema is in place and starts the store's notification
// listener. The pool stays the caller's: Close the store before closing the pool.
func Open(ctx context.Context, pool *pgxpool.Pool, opts Options) (*Store, error) {
	opts.setDefaults()
	if _, err := pool.Exec(ctx, "SELECT 1 FROM events LIMIT 0"); err != nil {
		return nil, fmt.Errorf("open event store: %w (run `accessledger migrate`)", err)
	}
	heads, err := lru.New[string, streamHead](opts.HeadCacheSize)
	if err != nil {
		return nil, fmt.Errorf("open event store: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	s := &Store{
		pool: pool, opts: opts, heads: heads, wake: broadcast.New(), ended: broadcast.New(),
		notifyPending: make(chan struct{}, 1), cancel: cancel,
	}
	s.done.Add(2)
	go func() { defer s.done.Done(); s.listen(runCtx) }()
	go func() { defer s.done.Done(); s.notifyLoop(runCtx) }()
	return s, nil
}

// Close stops the store's background work. Calls in flight may fail afterwards.
func (s *Store) Close() {
	s.cancel()
	s.done.Wait()
}
