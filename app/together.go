package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"

	"accessledger/domain"
	"accessledger/eventstore"
)

// part is one step of runTogether with the state of its stream and what it decided.
type part struct {
	st     step
	e      *entry
	fresh  bool // e was read to the end during this run
	events []domain.Event
	data   []eventstore.EventData
	res    Result
}

// runTogether runs steps on several streams as one decision: each decides on its
// stream's state, and everything they decide is appended at once
// (eventstore.AppendStreams), so that nothing of it is written unless all of it is. The
// last step is the command's main one: If-Match is about its stream, and its events
// tell that the command ran before. It answers each step's result.
//
// The streams' locks are taken in the order of steps, which must follow the package's
// lock order: a workspace's stream last. Like runLocked it decides on cached states and
// lets the expected versions prove them current; a refusal, or a step that decides
// nothing, holds only on states read to the end.
func (s *Service) runTogether(ctx context.Context, meta Meta, steps ...step) ([]Result, error) {
	parts := make([]*part, 0, len(steps))
	defer func() {
		for i := len(parts) - 1; i >= 0; i-- {
			_ = s.locks.Unlock(parts[i].st.stream)
		}
	}()
	// Each state is loaded as soon as its lock is held, so that a read of one stream
	// does not hold up the commands of the streams locked after it.
	for _, st := range steps {
		s.locks.Lock(st.stream)
		e, fresh, err := s.entry(ctx, st)
		parts = append(parts, &part{st: st, e: e, fresh: fresh})
		if err != nil {
			return nil, err
		}
	}
	return s.decideTogether(ctx, meta, parts)
}

func (s *Service) decideTogether(ctx context.Context, meta Meta, parts []*part) ([]Result, error) {
	main := parts[len(parts)-1]
	retry := backoff.WithContext(conflictBackoff(), ctx)
	for attempt := 1; ; attempt++ {
		if _, done := main.e.recent.lookup(eventID(meta.CommandID, main.st.name, main.st.stream, 0)); done {
			return earlierResults(meta, parts), nil // this command ran before
		}
		if err := s.checkPrecondition(ctx, meta, main); err != nil {
			return nil, err
		}
		now := s.clock()
		refused := decideParts(parts, now)
		if moved, err := s.freshenUnsure(ctx, parts, refused != nil); err != nil || moved {
			if err != nil {
				return nil, err
			}
			continue
		}
		if refused != nil {
			return nil, refused
		}
		err := s.appendParts(ctx, meta, parts, now)
		if !errors.Is(err, eventstore.ErrVersionConflict) {
			return results(parts), err
		}
		if attempt >= s.maxAttempts {
			return nil, fmt.Errorf("%s: %w", main.st.stream, ErrTooManyConflicts)
		}
		if err := s.wait(retry); err != nil {
			return nil, err
		}
		if err := s.freshenConflicting(ctx, parts, err); err != nil {
			return nil, err
		}
	}
}

// checkPrecondition checks If-Match against the main step's latest version.
func (s *Service) checkPrecondition(ctx context.Context, meta Meta, main *part) error {
	if meta.IfVersion == nil {
		return nil
	}
	var err error
	if main.fresh, err = s.freshen(ctx, main.st.stream, main.e, main.fresh); err != nil {
		return err
	}
	return meta.unmet(main.st.stream, main.e.version)
}

// decideParts decides every part on its state, and answers the first refusal. The main
// step decides first: its refusal (an actor without the authority) comes before any
// other step's, which would tell that actor about other streams.
func decideParts(parts []*part, now time.Time) error {
	main := len(parts) - 1
	for _, p := range append([]*part{parts[main]}, parts[:main]...) {
		var err error
		if p.events, err = p.st.decide(p.e.state, now); err != nil {
			return err
		}
	}
	return nil
}

// freshenUnsure reads to the end the streams of the parts whose decision holds only on
// their latest state (all of them after a refusal, those that decided nothing
// otherwise), and reports whether any moved.
func (s *Service) freshenUnsure(ctx context.Context, parts []*part, refused bool) (bool, error) {
	moved := false
	for _, p := range parts {
		if p.fresh || !refused && len(p.events) > 0 {
			continue
		}
		m, err := s.refresh(ctx, p.st.stream, p.e)
		if err != nil {
			return false, err
		}
		p.fresh, moved = true, moved || m
	}
	return moved, nil
}

// freshenConflicting reads the tail of the stream that a conflict names.
func (s *Service) freshenConflicting(ctx context.Context, parts []*part, err error) error {
	var conflict *eventstore.VersionConflictError
	errors.As(err, &conflict)
	for _, p := range parts {
		if conflict == nil || p.st.stream == conflict.Stream {
			if _, err := s.refresh(ctx, p.st.stream, p.e); err != nil {
				return err
			}
			p.fresh = true
		}
	}
	return nil
}

// appendParts appends what the parts decided in one multi-stream append and moves
// their cached states on.
func (s *Service) appendParts(ctx context.Context, meta Meta, parts []*part, now time.Time) error {
	var batch []eventstore.StreamAppend
	var with []*part
	for _, p := range parts {
		p.res = Result{Stream: p.st.stream, Version: p.e.version}
		if len(p.events) == 0 {
			continue
		}
		var err error
		if p.data, err = envelope(meta, p.st, p.events, now); err != nil {
			return err
		}
		batch = append(batch, eventstore.StreamAppend{Stream: p.st.stream, Expected: eventstore.Exact(p.e.version), Events: p.data})
		with = append(with, p)
	}
	if len(batch) == 0 {
		return nil
	}
	appended, err := s.store.AppendStreams(ctx, batch...)
	if errors.Is(err, eventstore.ErrVersionConflict) {
		return err
	}
	if err != nil {
		for _, p := range with {
			s.cache.Remove(p.st.stream) // the append may or may not have happened
		}
		return err
	}
	for i, p := range with {
		p.res = s.settle(p.st, p.e, p.events, p.data, appended[i], now)
	}
	return nil
}

// results answers the parts' results.
func results(parts []*part) []Result {
	out := make([]Result, len(parts))
	for i, p := range parts {
		out[i] = p.res
	}
	return out
}

// earlierResults answers the results of an earlier run of the command, as far as the
// cached streams remember them; a step that appended nothing answers its version.
func earlierResults(meta Meta, parts []*part) []Result {
	out := make([]Result, len(parts))
	for i, p := range parts {
		res, ok := p.e.recent.lookup(eventID(meta.CommandID, p.st.name, p.st.stream, 0))
		if !ok {
			res = Result{Stream: p.st.stream, Version: p.e.version}
		}
		out[i] = res
	}
	return out
}

// lastPosition answers the latest position of results: the consistency token of a
// command of several steps.
func lastPosition(results []Result) eventstore.Position {
	var last eventstore.Position
	for _, r := range results {
		last = later(last, r.Position)
	}
	return last
}
