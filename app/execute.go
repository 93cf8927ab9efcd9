package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/eventstore"
)

// aggregate is the state of one stream, rebuilt by applying its events in order.
type aggregate interface {
	Apply(domain.Event)
}

// decision decides a command on a stream's state. It must not change the state; it may
// run more than once when the stream moved on while it ran.
type decision func(state aggregate, now time.Time) ([]domain.Event, error)

// step is one single-stream append of a command. A command of several steps gives each
// a distinct name, so that each gets event ids of its own.
type step struct {
	name     string
	stream   string
	newState func() aggregate
	decide   decision
}

// ErrTooManyConflicts reports a command that lost the race for its stream to other
// processes more often than Options.MaxAttempts allows.
var ErrTooManyConflicts = errors.New("the stream kept changing while the command was decided")

// PreconditionError reports a command whose main stream was not at Meta.IfVersion, or
// not of the kind Meta.IfKind names (OtherKind is then that kind).
type PreconditionError struct {
	Stream    string
	Expected  int64
	Actual    int64
	OtherKind string
}

func (e *PreconditionError) Error() string {
	if e.OtherKind != "" {
		return fmt.Sprintf("the version given is of a %s stream, not of %s", e.OtherKind, e.Stream)
	}
	return fmt.Sprintf("%s is at version %d, not %d", e.Stream, e.Actual, e.Expected)
}

// StreamKind answers the kind of a stream: the part of its name before the first '-'
// (workspace, member, account, claim).
func StreamKind(stream string) string {
	kind, _, _ := strings.Cut(stream, "-")
	return kind
}

// unmet answers the *PreconditionError of a command whose If-Match (IfVersion, IfKind)
// does not hold of stream at version, nil when it holds or is not set.
func (m Meta) unmet(stream string, version int64) error {
	switch {
	case m.IfVersion == nil:
		return nil
	case m.IfKind != "" && m.IfKind != StreamKind(stream):
		return &PreconditionError{Stream: stream, Expected: *m.IfVersion, Actual: version, OtherKind: m.IfKind}
	case *m.IfVersion != version:
		return &PreconditionError{Stream: stream, Expected: *m.IfVersion, Actual: version}
	}
	return nil
}

// run decides and appends one step under its stream's lock.
func (s *Service) run(ctx context.Context, meta Meta, st step) (Result, error) {
	s.locks.Lock(st.stream)
	defer func() { _ = s.locks.Unlock(st.stream) }()
	return s.runLocked(ctx, meta, st)
}

// runLocked is run for a caller that holds the stream's lock.
//
// It decides on the cached state without reading the store first: the append's expected
// version proves the state was current. Only a refusal, or a decision to do nothing, is
// checked against a fresh read before it is answered.
func (s *Service) runLocked(ctx context.Context, meta Meta, st step) (Result, error) {
	e, fresh, err := s.entry(ctx, st)
	if err != nil {
		return Result{}, err
	}
	firstID := eventID(meta.CommandID, st.name, st.stream, 0)
	retry := backoff.WithContext(conflictBackoff(), ctx)
	for attempt := 1; ; attempt++ {
		if res, ok := e.recent.lookup(firstID); ok {
			return res, nil // this command ran before: answer its first result
		}
		if meta.IfVersion != nil {
			if fresh, err = s.freshen(ctx, st.stream, e, fresh); err != nil {
				return Result{}, err
			}
			if err := meta.unmet(st.stream, e.version); err != nil {
				return Result{}, err
			}
		}
		now := s.clock()
		events, err := st.decide(e.state, now)
		if err != nil || len(events) == 0 {
			// A refusal, or doing nothing, holds only if the state was the latest.
			if !fresh {
				moved, rerr := s.refresh(ctx, st.stream, e)
				if rerr != nil {
					return Result{}, rerr
				}
				if fresh = true; moved {
					continue
				}
			}
			return Result{Stream: st.stream, Version: e.version}, err
		}
		res, err := s.append(ctx, meta, st, e, events, now)
		if !errors.Is(err, eventstore.ErrVersionConflict) {
			return res, err
		}
		if attempt >= s.maxAttempts {
			return Result{}, fmt.Errorf("%s: %w", st.stream, ErrTooManyConflicts)
		}
		if err := s.wait(retry); err != nil {
			return Result{}, err
		}
		if fresh, err = s.freshen(ctx, st.stream, e, false); err != nil {
			return Result{}, err
		}
	}
}

// freshen reads the tail of a cached stream unless it was just read.
func (s *Service) freshen(ctx context.Context, stream string, e *entry, fresh bool) (bool, error) {
	if fresh {
		return true, nil
	}
	_, err := s.refresh(ctx, stream, e)
	return err == nil, err
}

// conflictBackoff spaces out the attempts of a command whose stream another process
// keeps changing: short and jittered, so that contenders drift apart.
func conflictBackoff() backoff.BackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = 2 * time.Millisecond
	b.MaxInterval = 200 * time.Millisecond
	b.MaxElapsedTime = 0 // MaxAttempts bounds the attempts instead
	return b
}

func (s *Service) wait(b backoff.BackOffContext) error {
	d := b.NextBackOff()
	if d == backoff.Stop {
		return b.Context().Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-b.Context().Done():
		return b.Context().Err()
	}
}

// append writes the events of a decision and, on success, moves the cached state on.
func (s *Service) append(ctx context.Context, meta Meta, st step, e *entry, events []domain.Event, now time.Time) (Result, error) {
	data, err := envelope(meta, st, events, now)
	if err != nil {
		return Result{}, err
	}
	appended, err := s.store.Append(ctx, st.stream, eventstore.Exact(e.version), data...)
	if errors.Is(err, eventstore.ErrVersionConflict) {
		return Result{}, err
	}
	if err != nil {
		s.cache.Remove(st.stream) // the append may or may not have happened
		return Result{}, fmt.Errorf("append to %s: %w", st.stream, err)
	}
	return s.settle(st, e, events, data, appended, now), nil
}

// settle moves a cached state on by the events of a decision that the store appended,
// and answers the step's result.
func (s *Service) settle(st step, e *entry, events []domain.Event, data []eventstore.EventData, appended eventstore.AppendResult, now time.Time) Result {
	res := Result{Stream: st.stream, Version: appended.LastVersion, Position: appended.Position}
	if appended.FirstVersion != e.version+1 {
		// The store answered an earlier append of these very events (a retry racing its
		// first run in another process): what it holds may differ from this decision.
		s.cache.Remove(st.stream)
		return res
	}
	for _, ev := range events {
		e.state.Apply(ev)
	}
	e.version, e.position, e.readAt = appended.LastVersion, appended.Position, now
	for i := range data {
		e.recent.add(data[i].ID, res)
	}
	return res
}

// envelope turns decided events into the store's form, with ids derived from the
// command and the metadata of the command.
func envelope(meta Meta, st step, events []domain.Event, now time.Time) ([]eventstore.EventData, error) {
	ref, _ := domain.ParseStream(st.stream)
	out := make([]eventstore.EventData, len(events))
	for i, ev := range events {
		if !slices.Contains(domain.StreamKindsOf(ev.EventType()), ref.Kind) {
			// Readers skip streams of kinds whose events they do not use: an event
			// on a stream of another kind would be one they never see.
			return nil, fmt.Errorf("%s does not belong on stream %s", ev.EventType(), st.stream)
		}
		data, err := encodeEvent(ev)
		if err != nil {
			return nil, err
		}
		out[i] = eventstore.EventData{
			ID:   eventID(meta.CommandID, st.name, st.stream, i),
			Type: ev.EventType(),
			Data: data,
			Metadata: eventstore.Metadata{
				CommandID: meta.CommandID, CorrelationID: meta.CorrelationID, CausationID: meta.CausationID,
				Actor: meta.Actor.String(), Reason: meta.Reason, OccurredAt: now,
			},
		}
	}
	return out, nil
}

// eventID derives the id of the i-th event a command's step appends to stream, so that
// running the command again yields the same ids and the store answers the first result.
func eventID(command uuid.UUID, stepName, stream string, i int) uuid.UUID {
	return uuid.NewSHA1(command, fmt.Appendf(nil, "%s\x00%s\x00%d", stepName, stream, i))
}
