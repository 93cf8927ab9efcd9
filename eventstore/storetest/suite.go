// Package storetest is the conformance suite that every eventstore.Store passes, in the
// way Watermill tests its pub/subs: a backend's tests call Run with a Harness.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/eventstore"
)

// Harness gives the suite what it needs of one backend.
type Harness struct {
	// NewStore answers an empty store of its own for one test. Whatever it opens is
	// released through t.Cleanup.
	NewStore func(t *testing.T) eventstore.Store
	// Tamper changes the stored data of one event behind the store's back, as an
	// attacker with database access would. Nil skips the tamper test.
	Tamper func(t *testing.T, s eventstore.Store, stream string, version int64)
	// HoldOpen appends events to stream (expected: no stream) in a transaction that it
	// keeps open until commit is called. Nil skips the held-transaction test, for
	// backends without client transactions.
	HoldOpen func(t *testing.T, s eventstore.Store, stream string, events ...eventstore.EventData) (commit func())
	// IDsUniquePerStream says the backend keeps event ids unique within each stream but
	// not across streams, as KurrentDB does, whose appends check no other stream. The
	// suite then does not ask it to refuse one stream's ids in another, which
	// accessledger never writes: its event ids are derived from the stream name.
	IDsUniquePerStream bool
}

// Run runs every conformance test against the backend behind h.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		run  func(*testing.T, Harness)
	}{
		{"AppendAndReadBack", testAppendAndReadBack},
		{"ExpectedVersion", testExpectedVersion},
		{"InvalidInputWritesNothing", testInvalidInput},
		{"ConcurrentExactAppendsHaveOneWinner", testConcurrentExact},
		{"ConcurrentAnyAppendsLoseNothing", testConcurrentAny},
		{"IdempotentRetry", testIdempotentRetry},
		{"ConcurrentRetriesAppendOnce", testConcurrentRetries},
		{"AppendStreams", testAppendStreams},
		{"AppendStreamsAllOrNone", testAppendStreamsAllOrNone},
		{"AppendStreamsRetry", testAppendStreamsRetry},
		{"AppendStreamsInvalidInputWritesNothing", testAppendStreamsInvalid},
		{"ConcurrentAppendStreamsHaveOneWinner", testConcurrentAppendStreams},
		{"ReadStreamBothWays", testReadStream},
		{"ReadAllInOrder", testReadAll},
		{heldTransactionTest, testTailingReader},
		{"WaitForEvents", testWaitForEvents},
		{"VerifyFindsTampering", testVerify},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name != heldTransactionTest {
				t.Parallel()
			}
			tc.run(t, h)
		})
	}
}

// heldTransactionTest runs alone (before the parallel tests start): on a backend whose
// readers wait for every older transaction of the server, the transaction it holds open
// would stall the other tests' readers too.
const heldTransactionTest = "TailingReaderNeverPassesOpenTransaction"

// testTimeout bounds each test's calls, so that a hang fails instead of stalling CI.
const testTimeout = 60 * time.Second

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// event answers an event of type "test.happened" with a fresh id and data {"n": n}.
func event(n int) eventstore.EventData {
	return eventstore.EventData{
		ID:   uuid.Must(uuid.NewV7()),
		Type: "test.happened",
		Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, n)),
		Metadata: eventstore.Metadata{
			CommandID:     uuid.New(),
			CorrelationID: uuid.New(),
			Actor:         "system",
		},
	}
}

func events(n int) []eventstore.EventData {
	out := make([]eventstore.EventData, n)
	for i := range out {
		out[i] = event(i)
	}
	return out
}

func mustAppend(t *testing.T, s eventstore.Store, stream string, expected eventstore.ExpectedVersion, evs ...eventstore.EventData) eventstore.AppendResult {
	t.Helper()
	res, err := s.Append(testContext(t), stream, expected, evs...)
	if err != nil {
		t.Fatalf("append %d events to %s (%s): %v", len(evs), stream, expected, err)
	}
	return res
}

func mustReadStream(t *testing.T, s eventstore.Store, stream string) []eventstore.Event {
	t.Helper()
	evs, err := s.ReadStream(testContext(t), stream, eventstore.ReadStreamOptions{Limit: 10_000})
	if err != nil {
		t.Fatalf("read %s: %v", stream, err)
	}
	return evs
}

// readAll answers the whole global log once it holds at least want events. Readers see
// an event only when every transaction that began before it has ended, so right after an
// append the log may lag for a moment while other transactions finish.
func readAll(t *testing.T, s eventstore.Store, want int) []eventstore.Event {
	t.Helper()
	ctx := testContext(t)
	var all []eventstore.Event
	var after eventstore.Position
	for {
		page, err := s.ReadAll(ctx, after, 100)
		if err != nil {
			t.Fatalf("read all after %s: %v", after, err)
		}
		if len(page) > 0 {
			all = append(all, page...)
			after = page[len(page)-1].Position
			continue
		}
		if len(all) >= want {
			return all
		}
		if err := s.WaitForEvents(ctx, after); err != nil {
			t.Fatalf("global log holds %d events, want %d: %v", len(all), want, err)
		}
	}
}

// WaitVisible waits until readers of log's global log can see position p. Visibility
// follows the oldest open transaction of the whole server, so a test that reads the
// log's head right after appending, while parallel tests run, must wait for it.
func WaitVisible(t testing.TB, log eventstore.LogReader, p eventstore.Position) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	for {
		head, err := log.Head(ctx)
		if err != nil {
			t.Fatalf("head: %v", err)
		}
		if !head.Before(p) {
			return
		}
		if err := log.WaitForEvents(ctx, head); err != nil {
			t.Fatalf("position %s never became visible (head %s): %v", p, head, err)
		}
	}
}

// streamName answers a stream name unique to this test run.
func streamName(prefix string) string {
	return prefix + "-" + uuid.NewString()
}
