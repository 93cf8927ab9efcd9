package kurrentdb

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"accessledger/eventstore"
	"accessledger/internal/broadcast"
)

// waitPoll is how often a waiter looks at the log itself, in case the live subscription
// missed an event (it is down, or was made after the event).
const waitPoll = 5 * time.Second

// tail is a store's one live subscription to the log, shared by all its waiters: every
// projection waiting for events costs the server nothing more than this subscription.
type tail struct {
	wake   *broadcast.Broadcast
	poll   time.Duration // waitPoll, but in tests
	start  sync.Once
	stop   context.CancelFunc
	done   chan struct{}
	logger *slog.Logger

	mu   sync.Mutex
	seen eventstore.Position // of the newest event of the store's streams it saw
}

func newTail(logger *slog.Logger) *tail {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &tail{wake: broadcast.New(), poll: waitPoll, stop: func() {}, done: make(chan struct{}), logger: logger}
}

func (t *tail) newest() eventstore.Position {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.seen
}

func (t *tail) saw(p eventstore.Position) {
	t.mu.Lock()
	if t.seen.Before(p) {
		t.seen = p
	}
	t.mu.Unlock()
	t.wake.Fire()
}

// WaitForEvents implements eventstore.LogReader: it returns once an event of the
// store's streams follows after. The store's live subscription to $all, filtered on the
// server and made again with backoff when it drops, wakes it; it also looks at the
// log's head when it starts, after a drop and every waitPoll.
func (s *Store) WaitForEvents(ctx context.Context, after eventstore.Position) error {
	s.tail.start.Do(s.startTail)
	poll := time.NewTicker(s.tail.poll)
	defer poll.Stop()
	for {
		woken := s.tail.wake.Channel() // before looking, so that a wake-up is not lost
		if after.Before(s.tail.newest()) {
			return nil
		}
		head, err := s.Head(ctx)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && !retryable(err):
			return fmt.Errorf("wait for events after %s: %w", after, err)
		case err == nil && after.Before(head):
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-woken:
		case <-poll.C:
		}
	}
}

func (s *Store) startTail() {
	ctx, cancel := context.WithCancel(context.Background())
	s.tail.stop = cancel
	go s.runTail(ctx)
}

// closeTail stops the live subscription, if it was started, and waits for it to end.
func (s *Store) closeTail() {
	started := true
	s.tail.start.Do(func() { started = false })
	if started {
		s.tail.stop()
		<-s.tail.done
	}
}

// runTail keeps the live subscription until ctx ends, subscribing again with backoff
// after each drop.
func (s *Store) runTail(ctx context.Context) {
	defer close(s.tail.done)
	retry := backoff.NewExponentialBackOff(backoff.WithInitialInterval(100*time.Millisecond),
		backoff.WithMaxInterval(5*time.Second), backoff.WithMaxElapsedTime(0))
	for {
		err := s.follow(ctx, retry)
		s.tail.wake.Fire() // events may have come while it was down: waiters look at the head
		if ctx.Err() != nil {
			return
		}
		pause := retry.NextBackOff()
		s.tail.logger.Warn("kurrentdb: the subscription to $all dropped; subscribing again", "err", err, "in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
	}
}

// follow subscribes to $all from its end and reports every event of the store's streams
// to the tail until the subscription drops.
func (s *Store) follow(ctx context.Context, retry backoff.BackOff) error {
	client := s.conn.current()
	sub, err := client.SubscribeToAll(ctx, kurrentdb.SubscribeToAllOptions{From: kurrentdb.End{}, Filter: logFilter(s.prefixes)})
	if err != nil {
		return s.conn.check(client, err)
	}
	defer sub.Close()
	retry.Reset() // subscribed: the next drop backs off from the start
	s.tail.wake.Fire()
	for {
		ev := sub.Recv()
		switch {
		case ev.SubscriptionDropped != nil:
			return s.conn.check(client, ev.SubscriptionDropped.Error)
		case ev.EventAppeared != nil && ev.EventAppeared.Event != nil:
			if _, ok := s.ours(ev.EventAppeared.Event.StreamID); ok {
				s.tail.saw(toPosition(ev.EventAppeared.Event.Position))
			}
		}
	}
}
