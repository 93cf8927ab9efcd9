package storetest

import (
	"errors"
	"sync"
	"testing"

	"accessledger/eventstore"
)

// testAppendStreams appends to a new stream and an existing one at once: each part
// answers its own result, in order, and the events read back in their streams and in
// the global log with their hash chains whole.
func testAppendStreams(t *testing.T, h Harness) {
	s := h.NewStore(t)
	fresh, existing := streamName("claim"), streamName("roster")
	mustAppend(t, s, existing, eventstore.NoStream(), events(2)...)
	a, b := events(2), events(1)
	results, err := s.AppendStreams(testContext(t),
		eventstore.StreamAppend{Stream: fresh, Expected: eventstore.NoStream(), Events: a},
		eventstore.StreamAppend{Stream: existing, Expected: eventstore.Exact(2), Events: b})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || results[0].FirstVersion != 1 || results[0].LastVersion != 2 ||
		results[1].FirstVersion != 3 || results[1].LastVersion != 3 || !results[0].Position.Before(results[1].Position) {
		t.Fatalf("results %+v, want versions 1-2 then 3, in log order", results)
	}
	got := append(mustReadStream(t, s, fresh), mustReadStream(t, s, existing)[2:]...)
	want := append(a, b...)
	for i, e := range got {
		if e.ID != want[i].ID {
			t.Errorf("event %d is %s, want %s", i, e.ID, want[i].ID)
		}
	}
	if got[1].Position != results[0].Position || got[2].Position != results[1].Position {
		t.Errorf("positions %s, %s; the results say %s, %s", got[1].Position, got[2].Position, results[0].Position, results[1].Position)
	}
	WaitVisible(t, s, results[1].Position)
	log := readAll(t, s, 5)
	if ids := []any{log[2].ID, log[3].ID, log[4].ID}; ids[0] != a[0].ID || ids[1] != a[1].ID || ids[2] != b[0].ID {
		t.Errorf("the log's last events are %v, want the parts' in order", ids)
	}
	report, err := eventstore.Verify(testContext(t), s, nil)
	if err != nil || len(report.Broken) != 0 || report.Events != 5 {
		t.Errorf("verify = %+v, %v; want 5 events, nothing broken", report, err)
	}
}

// testAppendStreamsAllOrNone has one part expect a version its stream is not at: the
// conflict names that stream, and no part is written.
func testAppendStreamsAllOrNone(t *testing.T, h Harness) {
	s := h.NewStore(t)
	fresh, moved := streamName("account"), streamName("roster")
	mustAppend(t, s, moved, eventstore.NoStream(), events(3)...)
	_, err := s.AppendStreams(testContext(t),
		eventstore.StreamAppend{Stream: fresh, Expected: eventstore.NoStream(), Events: events(1)},
		eventstore.StreamAppend{Stream: moved, Expected: eventstore.Exact(2), Events: events(1)})
	var conflict *eventstore.VersionConflictError
	if !errors.As(err, &conflict) || conflict.Stream != moved || conflict.Actual != 3 {
		t.Fatalf("append = %v, want a conflict on %s at version 3", err, moved)
	}
	if n := len(readStreamOrNone(t, s, fresh)); n != 0 {
		t.Errorf("the other part wrote %d events", n)
	}
	if n := len(mustReadStream(t, s, moved)); n != 3 {
		t.Errorf("the moved stream has %d events, want 3", n)
	}
}

// testAppendStreamsRetry appends the same parts twice: the second answers the first's
// results and writes nothing. Parts of which only some are stored are refused.
func testAppendStreamsRetry(t *testing.T, h Harness) {
	s := h.NewStore(t)
	x, y := streamName("x"), streamName("y")
	parts := []eventstore.StreamAppend{
		{Stream: x, Expected: eventstore.NoStream(), Events: events(2)},
		{Stream: y, Expected: eventstore.NoStream(), Events: events(1)},
	}
	first, err := s.AppendStreams(testContext(t), parts...)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.AppendStreams(testContext(t), parts...)
	if err != nil || len(again) != 2 || again[0] != first[0] || again[1] != first[1] {
		t.Fatalf("retry = %+v, %v; want the first results %+v", again, err, first)
	}
	if len(mustReadStream(t, s, x)) != 2 || len(mustReadStream(t, s, y)) != 1 {
		t.Error("the retry wrote events")
	}
	mixed := []eventstore.StreamAppend{parts[0], {Stream: streamName("z"), Expected: eventstore.NoStream(), Events: events(1)}}
	if _, err := s.AppendStreams(testContext(t), mixed...); !errors.Is(err, eventstore.ErrDuplicateEvent) {
		t.Errorf("parts of which one is stored: %v, want ErrDuplicateEvent", err)
	}
	if n := len(readStreamOrNone(t, s, mixed[1].Stream)); n != 0 {
		t.Errorf("the refused append wrote %d events", n)
	}
}

// testAppendStreamsInvalid: no parts, an expected version Any, a stream named twice and
// a bad part are refused with ErrInvalid, and nothing is written.
func testAppendStreamsInvalid(t *testing.T, h Harness) {
	s := h.NewStore(t)
	a, b := streamName("a"), streamName("b")
	ok := eventstore.StreamAppend{Stream: a, Expected: eventstore.NoStream(), Events: events(1)}
	tests := map[string][]eventstore.StreamAppend{
		"no parts":         nil,
		"any":              {ok, {Stream: b, Expected: eventstore.Any(), Events: events(1)}},
		"a stream twice":   {ok, {Stream: a, Expected: eventstore.Exact(1), Events: events(1)}},
		"a part no events": {ok, {Stream: b, Expected: eventstore.NoStream()}},
		"a bad stream":     {ok, {Stream: "", Expected: eventstore.NoStream(), Events: events(1)}},
	}
	for name, parts := range tests {
		if _, err := s.AppendStreams(testContext(t), parts...); !errors.Is(err, eventstore.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if len(readStreamOrNone(t, s, a))+len(readStreamOrNone(t, s, b)) != 0 {
		t.Error("a refused append wrote events")
	}
}

// testConcurrentAppendStreams races multi-stream appends that each take a stream of
// their own and the same version of a shared one: one wins, and the losers' own
// streams stay empty.
func testConcurrentAppendStreams(t *testing.T, h Harness) {
	s := h.NewStore(t)
	shared := streamName("roster")
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		winners int
		own     = make([]string, writers)
		gate    = make(chan struct{})
	)
	for i := range writers {
		own[i] = streamName("account")
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			_, err := s.AppendStreams(testContext(t),
				eventstore.StreamAppend{Stream: own[i], Expected: eventstore.NoStream(), Events: events(1)},
				eventstore.StreamAppend{Stream: shared, Expected: eventstore.NoStream(), Events: events(1)})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				winners++
			case !errors.Is(err, eventstore.ErrVersionConflict):
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	close(gate)
	wg.Wait()
	written := 0
	for _, stream := range own {
		written += len(readStreamOrNone(t, s, stream))
	}
	if winners != 1 || written != 1 || len(mustReadStream(t, s, shared)) != 1 {
		t.Errorf("%d winners wrote %d events of their own streams; want one of each", winners, written)
	}
}
