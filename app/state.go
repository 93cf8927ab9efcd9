package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/eventstore"
)

// entry is the decided state of one stream at a version, kept between commands. It is
// only touched under the stream's lock.
type entry struct {
	state   aggregate
	version int64
	// position is the global position of the event at version (zero for version 0), so
	// that a read answering the version can wait for read models without a store read.
	position eventstore.Position
	recent   recentAppends
	// readAt is when state was last known to be the stream's latest: a refresh that
	// read to the end, or an append of this process.
	readAt time.Time
}

// entry answers the cached state of a step's stream, or loads it (fresh=true).
func (s *Service) entry(ctx context.Context, st step) (e *entry, fresh bool, err error) {
	if e, ok := s.cache.Get(st.stream); ok {
		return e, false, nil
	}
	e = &entry{state: st.newState()}
	if _, err := s.refresh(ctx, st.stream, e); err != nil {
		return nil, false, err
	}
	s.cache.Add(st.stream, e)
	return e, true, nil
}

// readPage is how many events a refresh reads at once.
const readPage = 500

// refresh applies the events appended to stream after e's version, and reports whether
// there were any.
func (s *Service) refresh(ctx context.Context, stream string, e *entry) (moved bool, err error) {
	started := s.clock()
	for {
		events, err := s.store.ReadStream(ctx, stream, eventstore.ReadStreamOptions{From: e.version + 1, Limit: readPage})
		if errors.Is(err, eventstore.ErrStreamNotFound) {
			e.readAt = started
			return moved, nil
		}
		if err != nil {
			return moved, fmt.Errorf("refresh the state: %w", err) // err names the stream
		}
		if err := e.applyStored(events); err != nil {
			s.cache.Remove(stream)
			return moved, err
		}
		moved = moved || len(events) > 0
		if len(events) < readPage {
			e.readAt = started
			return moved, nil
		}
	}
}

// applyStored folds stored events into the state and remembers which appends made them.
func (e *entry) applyStored(events []eventstore.Event) error {
	for i := range events {
		stored := &events[i]
		ev, err := domain.DecodeEvent(stored.Type, stored.Data)
		if err != nil {
			return fmt.Errorf("%s version %d: %w", stored.Stream, stored.Version, err)
		}
		e.state.Apply(ev)
		e.version, e.position = stored.Version, stored.Position
	}
	e.recent.addStored(events)
	return nil
}

// expectNew caches the empty state of a stream that a command is about to create and has
// reason to think absent, such as the account of an email nobody holds, so that its first
// append needs no read. The append's expected version 0 proves the guess; a wrong one
// costs a conflict and a read, as any stale cache entry does.
func (s *Service) expectNew(stream string, newState func() aggregate) {
	s.locks.Lock(stream)
	defer func() { _ = s.locks.Unlock(stream) }()
	s.cache.ContainsOrAdd(stream, &entry{state: newState()})
}

// snapshot answers a private copy of a stream's state, read from the store, for a
// decision that needs another aggregate than the one it appends to. Reading it without
// the other stream's lock keeps lock order simple: a command never waits for a second
// lock except a workspace's.
func (s *Service) snapshot(ctx context.Context, stream string, state aggregate) error {
	e := &entry{state: state}
	_, err := s.refresh(ctx, stream, e)
	return err
}

// withState runs fn on the latest state of stream under its lock, such as a workspace's
// roster read while deciding a member's access.
func (s *Service) withState(ctx context.Context, st step, fn func(state aggregate) error) error {
	return s.withRecentState(ctx, st, 0, func(state aggregate, _ int64) error { return fn(state) })
}

// withRecentState runs fn on a state of stream under its lock that was the latest at
// most maxAge ago (0: now), which spares queries a read of the stream each.
func (s *Service) withRecentState(ctx context.Context, st step, maxAge time.Duration, fn func(state aggregate, version int64) error) error {
	return s.withRecentEntry(ctx, st, maxAge, func(e *entry) error { return fn(e.state, e.version) })
}

// withRecentEntry is withRecentState with the whole cache entry.
func (s *Service) withRecentEntry(ctx context.Context, st step, maxAge time.Duration, fn func(e *entry) error) error {
	var since time.Time
	if maxAge > 0 {
		since = s.clock().Add(-maxAge)
	}
	return s.withEntrySince(ctx, st, since, fn)
}

// withEntrySince runs fn on the cache entry of stream under its lock, read to the end
// first unless it was known to be the latest at since or later; a zero since always
// reads it.
func (s *Service) withEntrySince(ctx context.Context, st step, since time.Time, fn func(e *entry) error) error {
	s.locks.Lock(st.stream)
	defer func() { _ = s.locks.Unlock(st.stream) }()
	e, fresh, err := s.entry(ctx, st)
	if err != nil {
		return err
	}
	if !fresh && (since.IsZero() || e.readAt.Before(since)) {
		if _, err := s.refresh(ctx, st.stream, e); err != nil {
			return err
		}
	}
	return fn(e)
}

func encodeEvent(ev domain.Event) (json.RawMessage, error) {
	data, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", ev.EventType(), err)
	}
	return data, nil
}

// recentLimit is how many recent event ids each cached stream remembers for answering
// retried commands. A retry of a command older than that on a busy stream is decided
// again (and usually changes nothing).
const recentLimit = 1024

// recentAppends maps the ids of a stream's recent events to the result of the append
// that wrote them.
type recentAppends struct {
	results map[uuid.UUID]Result
	order   []uuid.UUID
}

func (r *recentAppends) lookup(id uuid.UUID) (Result, bool) {
	res, ok := r.results[id]
	return res, ok
}

func (r *recentAppends) add(id uuid.UUID, res Result) {
	if r.results == nil {
		r.results = make(map[uuid.UUID]Result)
	}
	if len(r.order) == recentLimit {
		delete(r.results, r.order[0])
		r.order = r.order[1:]
	}
	r.results[id] = res
	r.order = append(r.order, id)
}

// addStored remembers stored events, taking each run of events with one command id as
// one append.
func (r *recentAppends) addStored(events []eventstore.Event) {
	for start := 0; start < len(events); {
		end := start + 1
		for end < len(events) && events[end].Metadata.CommandID == events[start].Metadata.CommandID {
			end++
		}
		last := events[end-1]
		res := Result{Stream: last.Stream, Version: last.Version, Position: last.Position}
		for _, ev := range events[start:end] {
			r.add(ev.ID, res)
		}
		start = end
	}
}
