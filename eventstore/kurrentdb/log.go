package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"accessledger/eventstore"
)

// scanPage is how many records of $all a read asks for at once: the server's own
// events, skipped here, may make a page of ours smaller than the limit.
const scanPage = 500

// ReadAll implements eventstore.LogReader: $all forward after position after, leaving
// out the server's streams and other namespaces'.
func (s *Store) ReadAll(ctx context.Context, after eventstore.Position, limit int) ([]eventstore.Event, error) {
	limit, err := eventstore.ReadLimit(limit)
	if err != nil {
		return nil, err
	}
	var out []eventstore.Event
	from := kurrentdb.AllPosition(kurrentdb.Start{})
	if !after.IsZero() {
		from = fromPosition(after)
	}
	for len(out) < limit {
		records, err := s.readAll(ctx, kurrentdb.Forwards, from, scanPage)
		if err != nil {
			return nil, err
		}
		for _, r := range records {
			p := toPosition(r.Position)
			if !after.Before(p) {
				continue // reading from a position answers the event at it too
			}
			after = p
			if _, ok := s.ours(r.StreamID); !ok {
				continue
			}
			e, err := s.event(r)
			if err != nil {
				return nil, err
			}
			if out = append(out, e); len(out) == limit {
				return out, nil
			}
		}
		if len(records) < scanPage {
			return out, nil
		}
		from = fromPosition(after)
	}
	return out, nil
}

func (s *Store) readAll(ctx context.Context, dir kurrentdb.Direction, from kurrentdb.AllPosition, count uint64) ([]*kurrentdb.RecordedEvent, error) {
	client := s.conn.current()
	rs, err := client.ReadAll(ctx, kurrentdb.ReadAllOptions{Direction: dir, From: from}, count)
	if err != nil {
		return nil, fmt.Errorf("read $all: %w", unavailable(s.conn.check(client, err)))
	}
	defer rs.Close()
	var out []*kurrentdb.RecordedEvent
	for {
		r, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read $all: %w", unavailable(s.conn.check(client, err)))
		}
		out = append(out, r.Event)
	}
}

// Head implements eventstore.LogReader: the position of the last event of the store's
// streams, found reading $all backward.
func (s *Store) Head(ctx context.Context) (eventstore.Position, error) {
	from := kurrentdb.AllPosition(kurrentdb.End{})
	for {
		records, err := s.readAll(ctx, kurrentdb.Backwards, from, scanPage)
		if err != nil {
			return eventstore.Position{}, err
		}
		for _, r := range records {
			if _, ok := s.ours(r.StreamID); ok {
				return toPosition(r.Position), nil
			}
		}
		if len(records) < scanPage {
			return eventstore.Position{}, nil
		}
		from = records[len(records)-1].Position
	}
}
