package storetest

import (
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"

	"accessledger/eventstore"
)

// writers is how many goroutines race in the concurrency tests.
const writers = 16

// testConcurrentExact races every writer for each next version of one stream: exactly
// one must win each round, and every loser must learn the version the winner made.
func testConcurrentExact(t *testing.T, h Harness) {
	s := h.NewStore(t)
	stream := streamName("hot")
	const rounds = 20
	var winners []uuid.UUID
	for v := int64(0); v < rounds; v++ {
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			won  []uuid.UUID
			bad  []error
			gate = make(chan struct{})
		)
		for range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := event(int(v))
				<-gate
				_, err := s.Append(testContext(t), stream, eventstore.Exact(v), e)
				mu.Lock()
				defer mu.Unlock()
				var conflict *eventstore.VersionConflictError
				switch {
				case err == nil:
					won = append(won, e.ID)
				case errors.As(err, &conflict) && conflict.Actual == v+1:
				default:
					bad = append(bad, err)
				}
			}()
		}
		close(gate)
		wg.Wait()
		if len(won) != 1 || len(bad) > 0 {
			t.Fatalf("round %d: %d winners, unexpected errors %v", v, len(won), bad)
		}
		winners = append(winners, won[0])
	}
	got := mustReadStream(t, s, stream)
	if len(got) != rounds {
		t.Fatalf("stream has %d events, want %d", len(got), rounds)
	}
	for i, e := range got {
		if e.Version != int64(i+1) || e.ID != winners[i] {
			t.Errorf("version %d holds %s v%d, want the winner %s", i+1, e.ID, e.Version, winners[i])
		}
	}
}

// testConcurrentAny has every writer append with expected version Any: every event
// must land exactly once, at contiguous versions.
func testConcurrentAny(t *testing.T, h Harness) {
	s := h.NewStore(t)
	stream := streamName("any")
	const perWriter = 15
	ids := make(chan uuid.UUID, writers*perWriter)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				e := event(w*perWriter + i)
				if _, err := s.Append(testContext(t), stream, eventstore.Any(), e); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				ids <- e.ID
			}
		}()
	}
	wg.Wait()
	close(ids)
	want := map[uuid.UUID]bool{}
	for id := range ids {
		want[id] = true
	}
	got := mustReadStream(t, s, stream)
	if len(got) != len(want) {
		t.Fatalf("stream has %d events, %d were appended", len(got), len(want))
	}
	for i, e := range got {
		if e.Version != int64(i+1) || !want[e.ID] {
			t.Fatalf("event %d: version %d id %s (appended: %v)", i, e.Version, e.ID, want[e.ID])
		}
		delete(want, e.ID)
	}
}

func testIdempotentRetry(t *testing.T, h Harness) {
	s := h.NewStore(t)
	stream := streamName("member")
	batch := events(2)
	first := mustAppend(t, s, stream, eventstore.NoStream(), batch...)
	if again := mustAppend(t, s, stream, eventstore.NoStream(), batch...); again != first {
		t.Fatalf("retry answered %+v, first append %+v", again, first)
	}
	mustAppend(t, s, stream, eventstore.Exact(2), event(3))
	if late := mustAppend(t, s, stream, eventstore.NoStream(), batch...); late != first {
		t.Fatalf("retry after the stream moved on answered %+v, first append %+v", late, first)
	}
	if n := len(mustReadStream(t, s, stream)); n != 3 {
		t.Fatalf("stream has %d events, want 3", n)
	}
	misuses := []struct {
		name   string
		stream string
		events []eventstore.EventData
	}{
		{"same ids in another stream", streamName("other"), batch},
		{"a stored id beside a new one", stream, []eventstore.EventData{batch[0], event(4)}},
		{"stored ids in another order", stream, []eventstore.EventData{batch[1], batch[0]}},
	}
	for _, m := range misuses {
		if h.IDsUniquePerStream && m.stream != stream {
			t.Logf("%s: not asked of a backend whose ids are unique per stream", m.name)
			continue
		}
		_, err := s.Append(testContext(t), m.stream, eventstore.Any(), m.events...)
		if !errors.Is(err, eventstore.ErrDuplicateEvent) {
			t.Errorf("%s: error = %v, want ErrDuplicateEvent", m.name, err)
		}
	}
	if n := len(mustReadStream(t, s, stream)); n != 3 {
		t.Fatalf("stream has %d events after misuses, want 3", n)
	}
}

// testConcurrentRetries sends one append from many goroutines at once, as a client
// retrying over a flaky network might: one copy lands and all answer its result.
func testConcurrentRetries(t *testing.T, h Harness) {
	s := h.NewStore(t)
	stream := streamName("retry")
	mustAppend(t, s, stream, eventstore.NoStream(), event(0))
	batch := events(3)
	results := make(chan eventstore.AppendResult, writers)
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := s.Append(testContext(t), stream, eventstore.Exact(1), batch...)
			if err != nil {
				t.Errorf("retry: %v", err)
				return
			}
			results <- res
		}()
	}
	wg.Wait()
	close(results)
	var first *eventstore.AppendResult
	for res := range results {
		if first == nil {
			first = &res
		}
		if res != *first || res.FirstVersion != 2 || res.LastVersion != 4 {
			t.Errorf("result %+v, another retry got %+v; want versions 2..4", res, *first)
		}
	}
	if n := len(mustReadStream(t, s, stream)); n != 4 {
		t.Fatalf("stream has %d events, want 4", n)
	}
}
