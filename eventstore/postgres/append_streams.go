package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"accessledger/eventstore"
)

// AppendStreams implements eventstore.MultiAppender: the events of every part are
// sealed onto their streams' heads and inserted in one statement, which commits them
// together; the unique (stream, stream_version) key refuses it whole when a stream
// moved.
func (s *Store) AppendStreams(ctx context.Context, parts ...eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	prepared, err := eventstore.PrepareStreams(parts, s.opts.Now())
	if err != nil {
		return nil, fmt.Errorf("append to %s: %w", streamNames(parts), err)
	}
	results, heads, err := s.appendStreamsOnce(ctx, prepared)
	if err != nil {
		for _, p := range prepared {
			s.heads.Remove(p.Stream) // whatever went wrong, the cached heads may be stale
		}
		return nil, fmt.Errorf("append to %s: %w", streamNames(parts), unavailable(err))
	}
	for i, h := range heads {
		if h.version > 0 { // zero for a retry answered from storage: head unknown
			s.heads.Add(prepared[i].Stream, h)
		}
	}
	s.appended()
	return results, nil
}

// appendStreamsOnce makes the one attempt of AppendStreams: find each stream's head,
// seal each part's events onto it, insert them all. It answers each part's result and
// new head.
func (s *Store) appendStreamsOnce(ctx context.Context, parts []eventstore.StreamAppend) ([]eventstore.AppendResult, []streamHead, error) {
	var sealed []eventstore.Event
	for _, p := range parts {
		head, found, err := s.headFor(ctx, s.pool, p.Stream, p.Expected)
		if err != nil {
			return nil, nil, err
		}
		if !found {
			return s.streamsConflictOrRetry(ctx, parts)
		}
		sealed = append(sealed, eventstore.Seal(p.Stream, head.version, head.hash, p.Events)...)
	}
	positions, err := insertRows(ctx, s.pool, sealed)
	if isUniqueViolation(err) {
		return s.streamsConflictOrRetry(ctx, parts)
	}
	if err != nil {
		return nil, nil, err
	}
	results := make([]eventstore.AppendResult, len(parts))
	heads := make([]streamHead, len(parts))
	at := 0
	for i, p := range parts {
		first, last := &sealed[at], &sealed[at+len(p.Events)-1]
		at += len(p.Events)
		results[i] = eventstore.AppendResult{FirstVersion: first.Version, LastVersion: last.Version, Position: positions[at-1]}
		heads[i] = streamHead{version: last.Version, hash: last.Hash}
	}
	return results, heads, nil
}

// streamsConflictOrRetry explains why parts could not be appended: every part's events
// are stored already (a retry, answered with the first results), or a stream is at
// another version than its part expects.
func (s *Store) streamsConflictOrRetry(ctx context.Context, parts []eventstore.StreamAppend) ([]eventstore.AppendResult, []streamHead, error) {
	results := make([]eventstore.AppendResult, len(parts))
	stored := 0
	for i, p := range parts {
		res, found, err := findStored(ctx, s.pool, p.Stream, p.Events)
		if err != nil {
			return nil, nil, err
		}
		if found {
			results[i] = res
			stored++
		}
	}
	switch stored {
	case len(parts):
		return results, make([]streamHead, len(parts)), nil
	case 0:
	default:
		return nil, nil, fmt.Errorf("%w: %d of %d streams hold their part already", eventstore.ErrDuplicateEvent, stored, len(parts))
	}
	for _, p := range parts {
		var actual int64
		err := s.pool.QueryRow(ctx, `SELECT coalesce(max(stream_version), 0) FROM events WHERE stream = $1`, p.Stream).Scan(&actual)
		if err != nil {
			return nil, nil, fmt.Errorf("read version: %w", err)
		}
		if !p.Expected.Allows(actual) {
			return nil, nil, &eventstore.VersionConflictError{Stream: p.Stream, Expected: p.Expected, Actual: actual}
		}
	}
	return nil, nil, errors.New("the insert was refused, yet every stream is at the version its part expects")
}

// streamNames names the streams of parts, for errors.
func streamNames(parts []eventstore.StreamAppend) string {
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = p.Stream
	}
	return strings.Join(names, ", ")
}
