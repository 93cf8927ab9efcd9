package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/eventstore"
)

// tailer follows the global log as a projector does, recording what it reads.
type tailer struct {
	mu   sync.Mutex
	read []eventstore.Event
	err  error
	done chan struct{}
}

func startTailer(ctx context.Context, s eventstore.Store) *tailer {
	tl := &tailer{done: make(chan struct{})}
	go func() {
		defer close(tl.done)
		var after eventstore.Position
		for {
			if err := s.WaitForEvents(ctx, after); err != nil {
				tl.fail(err)
				return
			}
			page, err := s.ReadAll(ctx, after, 7)
			if err != nil {
				tl.fail(err)
				return
			}
			tl.mu.Lock()
			tl.read = append(tl.read, page...)
			tl.mu.Unlock()
			if len(page) > 0 {
				after = page[len(page)-1].Position
			}
		}
	}()
	return tl
}

func (tl *tailer) fail(err error) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if !errors.Is(err, context.Canceled) {
		tl.err = err
	}
}

func (tl *tailer) snapshot() []eventstore.Event {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return append([]eventstore.Event(nil), tl.read...)
}

// waitFor waits until the tailer has read n events.
func (tl *tailer) waitFor(t *testing.T, n int) []eventstore.Event {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if got := tl.snapshot(); len(got) >= n {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("tailer read %d events in 30s, want %d (error: %v)", len(tl.snapshot()), n, tl.err)
	return nil
}

// appendConcurrently has writers each append perWriter single events to a stream of
// their own and answers the ids appended.
func appendConcurrently(t *testing.T, s eventstore.Store, perWriter int) []uuid.UUID {
	t.Helper()
	var mu sync.Mutex
	var ids []uuid.UUID
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stream := streamName("w")
			for i := range perWriter {
				e := event(i)
				if _, err := s.Append(testContext(t), stream, eventstore.Exact(int64(i)), e); err != nil {
					t.Errorf("append: %v", err)
					return
				}
				mu.Lock()
				ids = append(ids, e.ID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return ids
}

// testTailingReader holds one append's transaction open while others commit after it:
// the reader must stop short of the open transaction and, once it commits, end with
// every event exactly once, in order.
func testTailingReader(t *testing.T, h Harness) {
	if h.HoldOpen == nil {
		t.Skip("this backend has no client transactions to hold open")
	}
	s := h.NewStore(t)
	ctx, cancel := context.WithCancel(testContext(t))
	tl := startTailer(ctx, s)
	defer func() { cancel(); <-tl.done }()

	before := appendConcurrently(t, s, 25)
	held := event(0)
	commit := h.HoldOpen(t, s, streamName("held"), held)
	during := appendConcurrently(t, s, 25)

	tl.waitFor(t, len(before))
	time.Sleep(300 * time.Millisecond) // time for a faulty reader to run ahead
	for _, e := range tl.snapshot() {
		if contains(during, e.ID) {
			t.Fatalf("reader passed the open transaction: read %s before it committed", e.ID)
		}
	}
	commit()

	all := tl.waitFor(t, len(before)+1+len(during))
	want := append(append(append([]uuid.UUID{}, before...), held.ID), during...)
	seen := map[uuid.UUID]bool{}
	for i, e := range all {
		if seen[e.ID] {
			t.Fatalf("event %s read twice", e.ID)
		}
		seen[e.ID] = true
		if i > 0 && !all[i-1].Position.Before(e.Position) {
			t.Fatalf("read %s after %s", e.Position, all[i-1].Position)
		}
		if e.ID == held.ID {
			for _, later := range all[:i] {
				if contains(during, later.ID) {
					t.Fatalf("event %s, appended after the held one began, came before it", later.ID)
				}
			}
		}
	}
	for _, id := range want {
		if !seen[id] {
			t.Errorf("event %s never read", id)
		}
	}
	if len(all) != len(want) {
		t.Errorf("read %d events, appended %d", len(all), len(want))
	}
}

func contains(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func testWaitForEvents(t *testing.T, h Harness) {
	s := h.NewStore(t)
	head := mustHead(t, s)
	woke := make(chan error, 1)
	go func() { woke <- s.WaitForEvents(testContext(t), head) }()
	select {
	case err := <-woke:
		t.Fatalf("wait returned %v before anything was appended", err)
	case <-time.After(100 * time.Millisecond):
	}
	mustAppend(t, s, streamName("wake"), eventstore.NoStream(), event(1))
	select {
	case err := <-woke:
		if err != nil {
			t.Fatalf("wait: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("wait did not return after an append")
	}

	ctx, cancel := context.WithCancel(testContext(t))
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	if err := s.WaitForEvents(ctx, mustHead(t, s)); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait on a cancelled context: %v, want context.Canceled", err)
	}
}
