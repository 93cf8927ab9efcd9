package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"accessledger/eventstore"
)

// retried answers the result of an earlier append of the same events after version
// after, from what the stream holds there (stored, read from version after+1): the same
// ids in the same order are a retry, and answer where they landed; some of the ids but
// not that are a misuse (eventstore.ErrDuplicateEvent); none of them is no retry at all.
func retried(stored []eventstore.Event, events []eventstore.EventData, after int64) (eventstore.AppendResult, bool, error) {
	ids := make([]uuid.UUID, len(events))
	for i := range events {
		ids[i] = events[i].ID
	}
	same := len(stored) >= len(events)
	anyStored := false
	for i, e := range stored {
		if slices.Contains(ids, e.ID) {
			anyStored = true
		}
		if i < len(ids) && e.ID != ids[i] {
			same = false
		}
	}
	switch {
	case same:
		last := stored[len(events)-1]
		return eventstore.AppendResult{FirstVersion: after + 1, LastVersion: after + int64(len(events)), Position: last.Position}, true, nil
	case anyStored:
		return eventstore.AppendResult{}, false, fmt.Errorf("append: %w", eventstore.ErrDuplicateEvent)
	}
	return eventstore.AppendResult{}, false, nil
}

// retriedAnywhere is retried for an append with expected version Any, which may have
// landed anywhere in the stream: stored is the whole stream.
func retriedAnywhere(stored []eventstore.Event, events []eventstore.EventData) (eventstore.AppendResult, bool, error) {
	for i, e := range stored {
		if e.ID == events[0].ID {
			return retried(stored[i:], events, e.Version-1)
		}
	}
	return retried(stored, events, 0) // the first id is not stored: no retry, or a misuse
}

// anyRetryOf checks, before an append with expected version Any, whether the stream
// already holds its events. The server checks ids only where an exact append would
// land, so this reads the stream; accessledger's own appends are exact, and pay nothing
// for it. seen holds what an earlier try of the same append read, and grows: a retry
// after a conflict reads only the events appended since.
func (s *Store) anyRetryOf(ctx context.Context, stream string, events []eventstore.EventData, seen *[]eventstore.Event) (eventstore.AppendResult, bool, error) {
	for {
		from := int64(1)
		if n := len(*seen); n > 0 {
			from = (*seen)[n-1].Version + 1
		}
		page, err := s.ReadStream(ctx, stream, eventstore.ReadStreamOptions{From: from})
		if errors.Is(err, eventstore.ErrStreamNotFound) {
			return eventstore.AppendResult{}, false, nil
		}
		if err != nil {
			return eventstore.AppendResult{}, false, err
		}
		*seen = append(*seen, page...)
		if len(page) < eventstore.DefaultReadLimit {
			return retriedAnywhere(*seen, events)
		}
	}
}

// retryOf checks, after an exact append was refused, whether it is a retry of an
// earlier one: it reads the stream where that one would have landed.
func (s *Store) retryOf(ctx context.Context, stream string, after int64, events []eventstore.EventData) (eventstore.AppendResult, bool, error) {
	stored, err := s.ReadStream(ctx, stream, eventstore.ReadStreamOptions{From: after + 1, Limit: len(events)})
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return eventstore.AppendResult{}, false, nil // an exact append to a stream not there
	}
	if err != nil {
		return eventstore.AppendResult{}, false, err
	}
	return retried(stored, events, after)
}
