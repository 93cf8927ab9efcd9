package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"accessledger/eventstore"
)

// errNoMultiStreamAppend refuses a server without the multi-stream append.
var errNoMultiStreamAppend = errors.New("the server has no multi-stream append; accessledger needs KurrentDB 25.1 or later")

// CheckServer reports whether the server has what the store needs beyond reads and
// single appends: the multi-stream append of KurrentDB 25.1, without which invitations,
// registrations and new workspaces fail. It answers errNoMultiStreamAppend, naming the
// server's version, for an older server. Call it once the server has answered (after
// Head): it asks the connection made then.
func (s *Store) CheckServer(ctx context.Context) error {
	type answer struct {
		v   *kurrentdb.ServerVersion
		err error
	}
	client := s.conn.current()
	got := make(chan answer, 1)
	go func() { // the client waits for a connection without a deadline
		v, err := client.GetServerVersion()
		got <- answer{v, err}
	}()
	select {
	case <-ctx.Done():
		return fmt.Errorf("kurrentdb server version: %w", unavailable(ctx.Err()))
	case a := <-got:
		switch {
		case a.err != nil:
			return fmt.Errorf("kurrentdb server version: %w", unavailable(s.conn.check(client, a.err)))
		case !a.v.IsAtLeast(25, 1, 0):
			return fmt.Errorf("%w (this one reports %d.%d.%d)", errNoMultiStreamAppend, a.v.Major, a.v.Minor, a.v.Patch)
		}
		return nil
	}
}

// AppendStreams implements eventstore.MultiAppender with the server's multi-stream
// append (KurrentDB 25.1 and later), which writes every part or none. Each part is
// sealed after its stream's head, as Append does.
func (s *Store) AppendStreams(ctx context.Context, parts ...eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	prepared, err := eventstore.PrepareStreams(parts, s.clock())
	if err != nil {
		return nil, err
	}
	requests := make([]kurrentdb.AppendStreamRequest, len(prepared))
	for i, p := range prepared {
		if requests[i], err = s.streamRequest(ctx, p); err != nil {
			return nil, err
		}
	}
	client := s.conn.current()
	if _, err := client.MultiStreamAppend(ctx, slices.Values(requests)); err != nil {
		for _, p := range prepared {
			s.heads.Remove(p.Stream) // whatever went wrong, the remembered heads may be stale
		}
		return s.refusedStreams(ctx, prepared, s.conn.check(client, err))
	}
	return s.landedStreams(ctx, prepared)
}

// streamRequest seals a part's events after its stream's head and answers the part as
// the server takes it.
func (s *Store) streamRequest(ctx context.Context, p eventstore.StreamAppend) (kurrentdb.AppendStreamRequest, error) {
	after, _ := p.Expected.Version() // PrepareStreams refuses Any
	head, last, err := s.headFor(ctx, p.Stream, after)
	if err != nil {
		return kurrentdb.AppendStreamRequest{}, err
	}
	if after != head {
		last = eventstore.Hash{} // the server refuses or recognises a retry: this chain is not kept
	}
	sealed := eventstore.Seal(p.Stream, after, last, p.Events)
	data := make([]kurrentdb.EventData, len(sealed))
	for i := range sealed {
		if data[i], err = toEventData(&sealed[i]); err != nil {
			return kurrentdb.AppendStreamRequest{}, err
		}
	}
	var state kurrentdb.StreamState = kurrentdb.NoStream{}
	if after > 0 {
		state = kurrentdb.StreamRevision{Value: revision(after)}
	}
	return kurrentdb.AppendStreamRequest{StreamName: s.stored(p.Stream), Events: slices.Values(data), ExpectedStreamState: state}, nil
}

// refusedStreams explains a refused multi-stream append: a retry whose parts are all
// stored (answered with where they landed), a stream at another version, or err.
func (s *Store) refusedStreams(ctx context.Context, parts []eventstore.StreamAppend, err error) ([]eventstore.AppendResult, error) {
	var kerr *kurrentdb.Error
	if errors.As(err, &kerr) && kerr.Code() == kurrentdb.ErrorCodeUnsupportedFeature {
		return nil, errNoMultiStreamAppend
	}
	names := partNames(parts)
	if !errors.As(err, &kerr) || errorForCode(kerr.Code(), names, eventstore.Any()) == nil {
		return nil, errorOf(err, names, eventstore.Any(), "append to")
	}
	results := make([]eventstore.AppendResult, len(parts))
	retries := 0
	for i, p := range parts {
		after, _ := p.Expected.Version()
		res, ok, rerr := s.retryOf(ctx, p.Stream, after, p.Events)
		if rerr != nil {
			return nil, rerr
		}
		if ok {
			results[i] = res
			retries++
		}
	}
	switch retries {
	case len(parts):
		return results, nil
	case 0:
	default:
		return nil, fmt.Errorf("append to %s: %w: %d of %d streams hold their part already", names, eventstore.ErrDuplicateEvent, retries, len(parts))
	}
	for _, p := range parts {
		actual, _, herr := s.head(ctx, p.Stream)
		if herr != nil {
			return nil, herr
		}
		if !p.Expected.Allows(actual) {
			return nil, &eventstore.VersionConflictError{Stream: p.Stream, Expected: p.Expected, Actual: actual}
		}
	}
	return nil, errorOf(err, names, eventstore.Any(), "append to")
}

// landedStreams answers the results of an accepted multi-stream append, read back as
// landed reads a single one back.
func (s *Store) landedStreams(ctx context.Context, parts []eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	results := make([]eventstore.AppendResult, len(parts))
	for i, p := range parts {
		after, _ := p.Expected.Version()
		res, err := s.landed(ctx, p.Stream, after, len(p.Events))
		if err != nil {
			return nil, err
		}
		results[i] = res
	}
	return results, nil
}

// partNames names the streams of parts, for errors.
func partNames(parts []eventstore.StreamAppend) string {
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = p.Stream
	}
	return strings.Join(names, ", ")
}
