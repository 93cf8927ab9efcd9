// Package eventstore defines the event store that every accessledger write goes through:
// per-stream appends with optimistic concurrency, stream reads, and a totally ordered
// global log that tailing readers (the projectors) follow.
//
// The package holds the contract and what every backend shares (the envelope, positions,
// errors, validation and the per-stream hash chain). Backends live in sub-packages
// (postgres, kurrentdb); storetest is the conformance suite they all pass.
package eventstore

import "context"

// Store is an append-only event store.
//
// Every method is safe for concurrent use.
type Store interface {
	Appender
	MultiAppender
	StreamReader
	LogReader
}

// Appender appends events to one stream.
type Appender interface {
	// Append writes events to the end of stream, all or none, if the stream is at the
	// expected version. The events get the versions following the current one, in order.
	//
	// Append fails with a *ValidationError (matching ErrInvalid) when the input is
	// malformed, and with a *VersionConflictError (matching ErrVersionConflict) when the
	// stream is not at the expected version. In both cases nothing is written.
	//
	// Appending events whose ids are already stored in stream, in the same order, is a
	// retry: it writes nothing and answers the result of the first append, whatever the
	// expected version now says. Reusing stored ids in any other way fails with
	// ErrDuplicateEvent.
	Append(ctx context.Context, stream string, expected ExpectedVersion, events ...EventData) (AppendResult, error)
}

// MultiAppender appends to several streams at once.
type MultiAppender interface {
	// AppendStreams writes the events of every part, all or none, if each part's stream
	// is at the part's expected version, which must be exact (Exact or NoStream): one
	// decision that spans aggregates, such as registering an account and putting it on a
	// roster, is never half written. It answers each part's result in the order of
	// parts, which is the order of their events in the global log.
	//
	// It fails as Append does: with a *ValidationError when the input is malformed (a
	// stream named twice, an expected version Any), and with the *VersionConflictError of
	// the first part whose stream is not at its expected version; nothing is written.
	// Parts whose events are all stored already, each part's in its stream and in the
	// same order, are a retry: it writes nothing and answers the first results. Some of
	// them stored and not others fails with ErrDuplicateEvent.
	AppendStreams(ctx context.Context, parts ...StreamAppend) ([]AppendResult, error)
}

// StreamAppend is one stream's part of AppendStreams.
type StreamAppend struct {
	Stream   string
	Expected ExpectedVersion
	Events   []EventData
}

// StreamReader reads the events of one stream.
type StreamReader interface {
	// ReadStream answers up to opts.Limit events of stream in the direction asked, starting
	// at version opts.From (inclusive). It fails with ErrStreamNotFound when the stream has
	// no events at all; a range past the end of an existing stream answers no events.
	ReadStream(ctx context.Context, stream string, opts ReadStreamOptions) ([]Event, error)
}

// LogReader follows the global log of every stream.
//
// The global log is totally ordered by Position and only ever grows at its end: an event
// is not answered before every event ordered before it is committed, so a reader that
// resumes after the last position it processed never skips an event.
type LogReader interface {
	// ReadAll answers up to limit events of the global log that follow position after.
	ReadAll(ctx context.Context, after Position, limit int) ([]Event, error)

	// WaitForEvents blocks until ReadAll(after) would answer at least one event, and then
	// returns nil; it returns ctx's error when ctx ends first.
	WaitForEvents(ctx context.Context, after Position) error

	// Head answers the position of the last event of the global log that a reader can
	// see, or the zero Position when there is none.
	Head(ctx context.Context) (Position, error)
}

// Direction is the order in which ReadStream walks a stream.
type Direction int

// The directions of ReadStream.
const (
	Forward Direction = iota
	Backward
)

// ReadStreamOptions selects the part of a stream that ReadStream answers.
type ReadStreamOptions struct {
	// Direction is Forward (oldest first, the default) or Backward (newest first).
	Direction Direction
	// From is the first version answered. Zero means the first event going forward and
	// the last event going backward.
	From int64
	// Limit caps the number of events answered; zero means DefaultReadLimit.
	Limit int
}

// DefaultReadLimit is the number of events ReadStream answers when no limit is given.
const DefaultReadLimit = 1000

// AppendResult tells where an append put its events.
type AppendResult struct {
	// FirstVersion and LastVersion are the stream versions of the first and last event.
	FirstVersion int64
	LastVersion  int64
	// Position is the global position of the last event: a reader that has passed it has
	// seen every event of this append.
	Position Position
}
