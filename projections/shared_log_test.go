package projections

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"accessledger/eventstore"
)

// countingLog is a global log of n events that counts the reads it answers; a read
// waits for release, so that callers can pile up behind it.
type countingLog struct {
	events  []eventstore.Event
	reads   atomic.Int64
	waits   atomic.Int64
	release chan struct{}
}

func newCountingLog(n int) *countingLog {
	l := &countingLog{release: make(chan struct{})}
	for i := range n {
		l.events = append(l.events, eventstore.Event{Position: eventstore.NewPosition(1, uint64(i+1))})
	}
	return l
}

func (l *countingLog) ReadAll(ctx context.Context, after eventstore.Position, limit int) ([]eventstore.Event, error) {
	l.reads.Add(1)
	select {
	case <-l.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var page []eventstore.Event
	for _, e := range l.events {
		if after.Before(e.Position) && len(page) < limit {
			page = append(page, e)
		}
	}
	return page, nil
}

func (l *countingLog) WaitForEvents(ctx context.Context, after eventstore.Position) error {
	l.waits.Add(1)
	<-ctx.Done()
	return ctx.Err()
}

func (l *countingLog) Head(context.Context) (eventstore.Position, error) {
	return l.events[len(l.events)-1].Position, nil
}

// TestSharedLogReadsOncePerPage has seven projections read the same page at once and
// then again later: the log is read once, and each gets the whole page.
func TestSharedLogReadsOncePerPage(t *testing.T) {
	inner := newCountingLog(10)
	log := shareLog(inner)
	var wg sync.WaitGroup
	for range 7 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			page, err := log.ReadAll(t.Context(), eventstore.Position{}, 4)
			if err != nil || len(page) != 4 {
				t.Errorf("ReadAll = %d events, %v; want 4", len(page), err)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond) // let the readers join the read in flight
	close(inner.release)
	wg.Wait()
	if page, err := log.ReadAll(t.Context(), eventstore.Position{}, 4); err != nil || len(page) != 4 {
		t.Errorf("a late ReadAll = %d events, %v; want 4", len(page), err)
	}
	if n := inner.reads.Load(); n != 1 {
		t.Errorf("the log was read %d times for one page, want 1", n)
	}
	next, err := log.ReadAll(t.Context(), eventstore.NewPosition(1, 4), 4)
	if err != nil || len(next) != 4 || next[0].Position != eventstore.NewPosition(1, 5) {
		t.Errorf("the next page = %v, %v", next, err)
	}
}

// TestSharedLogWaitsOnlyAtTheHead checks that a projection behind a page another one
// read does not wait for a wake-up, and one at the head does.
func TestSharedLogWaitsOnlyAtTheHead(t *testing.T) {
	inner := newCountingLog(10)
	close(inner.release)
	log := shareLog(inner)
	if _, err := log.ReadAll(t.Context(), eventstore.Position{}, 100); err != nil {
		t.Fatal(err)
	}
	if err := log.WaitForEvents(t.Context(), eventstore.NewPosition(1, 3)); err != nil {
		t.Errorf("waiting behind a page read: %v, want nil at once", err)
	}
	if inner.waits.Load() != 0 {
		t.Error("a projection behind a page read waited for the log")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if err := log.WaitForEvents(ctx, eventstore.NewPosition(1, 10)); err == nil {
		t.Error("waiting at the head returned nil, want the context's error")
	}
}

// TestSharedLogReadsForACallerWhoseLeaderLeft checks that a read joined by a second
// caller still answers it when the caller who began it gives up.
func TestSharedLogReadsForACallerWhoseLeaderLeft(t *testing.T) {
	inner := newCountingLog(3)
	log := shareLog(inner)
	leaderCtx, leave := context.WithCancel(t.Context())
	go func() { _, _ = log.ReadAll(leaderCtx, eventstore.Position{}, 10) }()
	time.Sleep(10 * time.Millisecond)
	done := make(chan []eventstore.Event)
	go func() {
		page, err := log.ReadAll(t.Context(), eventstore.Position{}, 10)
		if err != nil {
			t.Errorf("follower: %v", err)
		}
		done <- page
	}()
	time.Sleep(10 * time.Millisecond)
	leave()
	time.Sleep(10 * time.Millisecond)
	close(inner.release)
	if page := <-done; len(page) != 3 {
		t.Errorf("follower got %d events, want 3", len(page))
	}
}
