package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"accessledger/eventstore"
)

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// Namespace, when set, is put before every stream name, and the global log shows only
	// the streams under it: several stores (tests, tenants of a shared server) on one
	// server, each seeing only its own events.
	Namespace string
	// StreamPrefixes, when set, are the beginnings of the store's stream names (after the
	// namespace): the global log holds only those streams, so that a server shared with
	// other applications shows accessledger its own. Unset: every stream but the server's.
	StreamPrefixes []string
	// Clock answers the time of appends (default time.Now).
	Clock func() time.Time
	// Logger receives the store's warnings (a dropped subscription) and, at debug level,
	// the client's log lines. Nil discards them.
	Logger *slog.Logger
}

// Store is an eventstore.Store on a KurrentDB (EventStoreDB) server. Appends are
// conditional on the stream's exact revision, so the hash chain each append extends is
// the one stored; the global log is $all, in commit order, without the server's own
// streams. Create it with Open; it is safe for concurrent use.
type Store struct {
	conn      *connection
	namespace string
	prefixes  []string // of the global log's streams, namespace included; nil: all
	clock     func() time.Time
	tail      *tail
	heads     *lru.Cache[string, streamHead] // of the streams this store appended to
}

var _ eventstore.Store = (*Store)(nil)

// Open connects to the server of url, a KurrentDB connection string
// ("kurrentdb://host:2113?tls=false", or the older "esdb://").
func Open(url string, opts Options) (*Store, error) {
	config, err := kurrentdb.ParseConnectionString(url)
	if err != nil {
		return nil, fmt.Errorf("open kurrentdb: %w", err)
	}
	config.Logger = clientLogging(opts.Logger)
	conn, err := newConnection(config)
	if err != nil {
		return nil, fmt.Errorf("open kurrentdb: %w", err)
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	heads, err := lru.New[string, streamHead](headCacheSize)
	if err != nil {
		return nil, fmt.Errorf("open kurrentdb: %w", err)
	}
	return &Store{heads: heads, conn: conn, namespace: opts.Namespace, prefixes: logPrefixes(opts.Namespace, opts.StreamPrefixes), clock: opts.Clock,
		tail: newTail(opts.Logger)}, nil
}

// Close stops the live subscription and closes the connection.
func (s *Store) Close() error {
	s.closeTail()
	return s.conn.close()
}

func (s *Store) stored(stream string) string { return s.namespace + stream }

// ours answers the store's name of a server stream, and whether the global log holds it.
func (s *Store) ours(stream string) (string, bool) {
	if systemStream(stream) || !hasAnyPrefix(stream, s.prefixes) {
		return "", false
	}
	return strings.CutPrefix(stream, s.namespace)
}

// Append implements eventstore.Appender. It seals the events after the stream's head
// (its version and last hash) and appends them on the condition that the head did not
// move. Event ids are unique within a stream, not across streams: the server checks no
// other stream, and neither does this store.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	prepared, err := eventstore.PrepareAppend(stream, expected, events, s.clock())
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if v, exact := expected.Version(); exact {
		return s.appendExact(ctx, stream, v, prepared)
	}
	return s.appendAny(ctx, stream, prepared)
}

// appendExact appends events after version after. Refused because the events are
// already there, it is a retry, and answers where they landed, whatever the stream did
// since; reusing some of their ids otherwise is refused.
func (s *Store) appendExact(ctx context.Context, stream string, after int64, events []eventstore.EventData) (eventstore.AppendResult, error) {
	head, last, err := s.headFor(ctx, stream, after)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	prev := last
	if after != head {
		prev = eventstore.Hash{} // the server refuses or recognises a retry: this chain is not kept
	}
	res, err := s.appendAfter(ctx, stream, after, prev, events)
	if !errors.Is(err, eventstore.ErrVersionConflict) {
		return res, err
	}
	if first, ok, rerr := s.retryOf(ctx, stream, after, events); ok || rerr != nil {
		return first, rerr
	}
	var conflict *eventstore.VersionConflictError
	if errors.As(err, &conflict) {
		conflict.Actual, _, _ = s.head(ctx, stream)
	}
	return res, err
}

// appendAny appends events after whatever the head is, again when another append moved
// it. Events the stream already holds are a retry, and answer where they landed. The
// head is the last event that the search for them read, so that an append landing after
// the search makes this one conflict, and the next search sees it.
func (s *Store) appendAny(ctx context.Context, stream string, events []eventstore.EventData) (eventstore.AppendResult, error) {
	var seen []eventstore.Event // of the stream, read by the tries so far
	for {
		if first, ok, err := s.anyRetryOf(ctx, stream, events, &seen); ok || err != nil {
			return first, err
		}
		head, last := int64(0), eventstore.Hash{}
		if n := len(seen); n > 0 {
			head, last = seen[n-1].Version, seen[n-1].Hash
		}
		res, err := s.appendAfter(ctx, stream, head, last, events)
		if !errors.Is(err, eventstore.ErrVersionConflict) {
			return res, err
		}
	}
}

// appendAfter appends events sealed after version after, whose hash is prev, on the
// condition that the stream's head is at after.
func (s *Store) appendAfter(ctx context.Context, stream string, after int64, prev eventstore.Hash, events []eventstore.EventData) (eventstore.AppendResult, error) {
	sealed := eventstore.Seal(stream, after, prev, events)
	data := make([]kurrentdb.EventData, len(sealed))
	for i := range sealed {
		var err error
		if data[i], err = toEventData(&sealed[i]); err != nil {
			return eventstore.AppendResult{}, err
		}
	}
	var state kurrentdb.StreamState = kurrentdb.NoStream{}
	if after > 0 {
		state = kurrentdb.StreamRevision{Value: revision(after)}
	}
	client := s.conn.current()
	if _, err := client.AppendToStream(ctx, s.stored(stream), kurrentdb.AppendToStreamOptions{StreamState: state}, data...); err != nil {
		s.heads.Remove(stream) // whatever went wrong, the remembered head may be stale
		return eventstore.AppendResult{}, errorOf(s.conn.check(client, err), stream, eventstore.Exact(after), "append to")
	}
	return s.landed(ctx, stream, after, len(events))
}

// landed answers the result of an append of n events after version after, which the
// server accepted. The position is read back, not taken from the server's answer: an
// answer to a retry the server recognised is not promised to carry the first append's
// position, and the result must be the one the events are read back with.
func (s *Store) landed(ctx context.Context, stream string, after int64, n int) (eventstore.AppendResult, error) {
	last := after + int64(n)
	events, err := s.ReadStream(ctx, stream, eventstore.ReadStreamOptions{From: last, Limit: 1})
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("read back the append to %s: %w", stream, err)
	}
	if len(events) == 0 || events[0].Version != last {
		return eventstore.AppendResult{}, fmt.Errorf("read back the append to %s: version %d is not there", stream, last)
	}
	s.heads.Add(stream, streamHead{version: last, hash: events[0].Hash})
	return eventstore.AppendResult{FirstVersion: after + 1, LastVersion: last, Position: events[0].Position}, nil
}

// head answers the version of the stream's last event and its hash; 0 for no stream.
func (s *Store) head(ctx context.Context, stream string) (int64, eventstore.Hash, error) {
	events, err := s.ReadStream(ctx, stream, eventstore.ReadStreamOptions{Direction: eventstore.Backward, Limit: 1})
	if errors.Is(err, eventstore.ErrStreamNotFound) || err == nil && len(events) == 0 {
		return 0, eventstore.Hash{}, nil
	}
	if err != nil {
		return 0, eventstore.Hash{}, err
	}
	return events[0].Version, events[0].Hash, nil
}

// ReadStream implements eventstore.StreamReader.
func (s *Store) ReadStream(ctx context.Context, stream string, opts eventstore.ReadStreamOptions) ([]eventstore.Event, error) {
	opts, err := eventstore.PrepareReadStream(stream, opts)
	if err != nil {
		return nil, err
	}
	ro := kurrentdb.ReadStreamOptions{Direction: kurrentdb.Forwards, From: kurrentdb.Start{}}
	if opts.Direction == eventstore.Backward {
		ro.Direction, ro.From = kurrentdb.Backwards, kurrentdb.End{}
	}
	if opts.From > 0 {
		ro.From = kurrentdb.StreamRevision{Value: revision(opts.From)}
	}
	client := s.conn.current()
	rs, err := client.ReadStream(ctx, s.stored(stream), ro, uint64(opts.Limit))
	if err != nil {
		return nil, errorOf(s.conn.check(client, err), stream, eventstore.Any(), "read")
	}
	defer rs.Close()
	var out []eventstore.Event
	for {
		r, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, errorOf(s.conn.check(client, err), stream, eventstore.Any(), "read")
		}
		e, err := s.event(r.Event)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
}

// event answers the store's form of a record of one of its streams.
func (s *Store) event(r *kurrentdb.RecordedEvent) (eventstore.Event, error) {
	e, err := fromRecorded(r)
	if err != nil {
		return e, err
	}
	e.Stream, _ = strings.CutPrefix(e.Stream, s.namespace)
	return e, nil
}
