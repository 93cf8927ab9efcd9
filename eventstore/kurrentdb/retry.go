package kurrentdb

import (
	"context"
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

// retryOf checks, after an exact append was refused, whether it is a retry of an
// earlier one: it reads the stream where that one would have landed.
func (s *Store) retryOf(ctx context.Context, stream string, after int64, events []eventstore.EventData) (eventstore.AppendResult, bool, error) {
	stored, err := s.ReadStream(ctx, stream, eventstore.ReadStreamOptions{From: after + 1, Limit: len(events)})
	if err != nil {
		return eventstore.AppendResult{}, false, err
	}
	return retried(stored, events, after)
}
