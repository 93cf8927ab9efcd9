package kurrentdb

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/eventstore"
	"accessledger/eventstore/kurrentdb/kurrentdbtest"
)

// openModel opens a store on a fresh model server.
func openModel(t *testing.T, opts Options) (*kurrentdbtest.Server, *Store) {
	t.Helper()
	f := kurrentdbtest.Start(t)
	s, err := Open(f.URL(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return f, s
}

func newEvent() eventstore.EventData {
	return eventstore.EventData{ID: uuid.New(), Type: "test.happened", Data: json.RawMessage(`{}`)}
}

func timeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestOldServersAreRefusedAtTheFirstAppend: a server that reads streams without their
// $all positions cannot answer where an append landed; the store says which servers can.
func TestOldServersAreRefusedAtTheFirstAppend(t *testing.T) {
	f, s := openModel(t, Options{})
	f.OmitStreamPositions()
	_, err := s.Append(timeout(t), "workspace-1", eventstore.NoStream(), newEvent())
	if !errors.Is(err, errNoStreamPositions) {
		t.Fatalf("append on an old server: %v, want errNoStreamPositions", err)
	}
}

// TestWaitingOutlastsDroppedSubscriptions: subscriptions the node drops are made again,
// and the wait ends at the next event.
func TestWaitingOutlastsDroppedSubscriptions(t *testing.T) {
	f, s := openModel(t, Options{})
	s.tail.poll = time.Hour // only the subscription can end the wait
	f.DropSubscriptions(2)
	ctx := timeout(t)
	waited := make(chan error, 1)
	go func() { waited <- s.WaitForEvents(ctx, eventstore.Position{}) }()
	for f.Drops() > 0 { // both drops, before the event
		if ctx.Err() != nil {
			t.Fatalf("%d drops left: the store did not subscribe again", f.Drops())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := s.Append(ctx, "workspace-1", eventstore.NoStream(), newEvent()); err != nil {
		t.Fatal(err)
	}
	if err := <-waited; err != nil {
		t.Fatalf("wait: %v", err)
	}
}

// TestTheLogOfASharedServerIsOurs: another application's streams on the same server are
// neither read nor waited for.
func TestTheLogOfASharedServerIsOurs(t *testing.T) {
	url := kurrentdbtest.Start(t).URL()
	ours, err := Open(url, Options{StreamPrefixes: []string{"workspace-", "member-"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ours.Close()
	theirs, err := Open(url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Close()
	ctx := timeout(t)
	mine, err := ours.Append(ctx, "workspace-1", eventstore.NoStream(), newEvent())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 { // past a read page of the model's server events too
		if _, err := theirs.Append(ctx, "orders-1", eventstore.Exact(int64(i)), newEvent()); err != nil {
			t.Fatal(err)
		}
	}
	events, err := ours.ReadAll(ctx, eventstore.Position{}, 100)
	if err != nil || len(events) != 1 || events[0].Stream != "workspace-1" {
		t.Fatalf("ReadAll = %d events (%v), want the one of workspace-1", len(events), err)
	}
	if head, err := ours.Head(ctx); err != nil || head != mine.Position {
		t.Fatalf("Head = %s (%v), want %s", head, err, mine.Position)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := ours.WaitForEvents(short, mine.Position); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting past our last event: %v, want the deadline (their events are not ours)", err)
	}
}

// TestTheStoreOutlivesAnOutage: a server down for longer than the client's discovery
// makes the client close itself for good; the store gets a new one, and both calls and
// the wait for events work again once the server is back.
func TestTheStoreOutlivesAnOutage(t *testing.T) {
	f, s := openModel(t, Options{})
	ctx := timeout(t)
	if _, err := s.Append(ctx, "workspace-1", eventstore.NoStream(), newEvent()); err != nil {
		t.Fatal(err)
	}
	head, err := s.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- s.WaitForEvents(ctx, head) }()
	f.Stop()
	for range 3 { // the discovery gives up, then the client reports itself closed
		if _, err := s.Head(ctx); !errors.Is(err, eventstore.ErrUnavailable) {
			t.Fatalf("Head with the server down: %v, want ErrUnavailable", err)
		}
	}
	if _, err := s.Append(ctx, "workspace-1", eventstore.Exact(1), newEvent()); !errors.Is(err, eventstore.ErrUnavailable) {
		t.Fatalf("append with the server down: %v, want ErrUnavailable", err)
	}
	if err := f.Resume(); err != nil {
		t.Fatal(err)
	}
	// The call that meets a client closed during the outage fails; the next ones get a
	// new client. Callers retry, as the projections and HTTP clients do.
	e := newEvent()
	for try := 1; ; try++ {
		_, err := s.Append(ctx, "workspace-1", eventstore.Exact(1), e)
		if err == nil {
			break
		}
		if try == 3 {
			t.Fatalf("append after the outage, try %d: %v", try, err)
		}
	}
	if err := <-waited; err != nil {
		t.Fatalf("wait across the outage: %v", err)
	}
}

// TestAppendsAfterARememberedHeadReadItNot: an exact append after the head this store
// left reads only its result back; a head another store moved since makes it conflict.
func TestAppendsAfterARememberedHeadReadItNot(t *testing.T) {
	f, s := openModel(t, Options{})
	other, err := Open(f.URL(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := timeout(t)
	if _, err := s.Append(ctx, "workspace-1", eventstore.NoStream(), newEvent()); err != nil {
		t.Fatal(err)
	}
	before := f.StreamReads()
	if _, err := s.Append(ctx, "workspace-1", eventstore.Exact(1), newEvent()); err != nil {
		t.Fatal(err)
	}
	if reads := f.StreamReads() - before; reads != 1 {
		t.Errorf("an append after the remembered head read the stream %d times, want 1 (its result)", reads)
	}
	if _, err := other.Append(ctx, "workspace-1", eventstore.Exact(2), newEvent()); err != nil {
		t.Fatal(err)
	}
	_, err = s.Append(ctx, "workspace-1", eventstore.Exact(2), newEvent())
	var conflict *eventstore.VersionConflictError
	if !errors.As(err, &conflict) || conflict.Actual != 3 {
		t.Fatalf("an append after a head moved elsewhere: %v, want a conflict at version 3", err)
	}
	if events, err := s.ReadStream(ctx, "workspace-1", eventstore.ReadStreamOptions{}); err != nil || len(events) != 3 {
		t.Fatalf("the stream holds %d events (%v), want 3", len(events), err)
	}
}

// TestServersWithoutMultiStreamAppendAreRefused: a server older than 25.1 cannot write
// an invitation in one append; CheckServer says so before any command tries, and a
// multi-stream append says so too.
func TestServersWithoutMultiStreamAppendAreRefused(t *testing.T) {
	f := kurrentdbtest.Start(t)
	f.ActAsVersion("24.10.0")
	s, err := Open(f.URL(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Head(timeout(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckServer(timeout(t)); !errors.Is(err, errNoMultiStreamAppend) || !strings.Contains(err.Error(), "24.10.0") {
		t.Errorf("CheckServer on 24.10: %v, want errNoMultiStreamAppend naming the version", err)
	}
	_, err = s.AppendStreams(timeout(t), eventstore.StreamAppend{Stream: "workspace-1", Expected: eventstore.NoStream(), Events: []eventstore.EventData{newEvent()}})
	if !errors.Is(err, errNoMultiStreamAppend) {
		t.Errorf("multi-stream append on 24.10: %v, want errNoMultiStreamAppend", err)
	}
	_, current := openModel(t, Options{})
	if _, err := current.Head(timeout(t)); err != nil {
		t.Fatal(err)
	}
	if err := current.CheckServer(timeout(t)); err != nil {
		t.Errorf("CheckServer on 25.1: %v", err)
	}
}
