// Package projections builds accessledger's read models from the event log.
//
// A Projection owns a few tables. The runtime (a Watermill router fed by a subscriber
// over the store's global log) hands it batches of events and commits each batch's
// effects and the projection's checkpoint in one Postgres transaction, so every event
// takes effect exactly once. Tables live in a schema per generation, p_<name>_<n>; the
// read side reads them through views of the same names in schema rm, which a rebuild
// repoints at a freshly built generation in one transaction.
package projections

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"accessledger/domain"
	"accessledger/eventstore"
)

// Projection maintains read model tables from events.
type Projection interface {
	// Name is the projection's fixed name: [a-z][a-z0-9_]*.
	Name() string
	// Version changes whenever the tables' shape or meaning changes; a new version is
	// rebuilt from the start while the old one keeps serving.
	Version() int
	// Tables names the tables that Setup creates and queries read through rm views.
	// Table names are unique across all projections.
	Tables() []string
	// Setup creates the projection's empty tables (and indexes) in schema.
	Setup(ctx context.Context, tx pgx.Tx, schema string) error
	// Apply applies a batch of events, in log order, writing only to schema's tables. A
	// batch holds one event when live and up to thousands during a rebuild, so Apply
	// works set-wise: it groups the batch's changes and writes them with few statements.
	// It sees every event type and ignores the ones it does not need.
	Apply(ctx context.Context, tx pgx.Tx, schema string, batch []Envelope) error
}

// QueryIndexer is implemented by a projection whose tables have indexes that only its
// queries use, never Apply. The runtime creates them with the tables; a rebuild creates
// them once it has caught up, instead of maintaining them batch by batch.
type QueryIndexer interface {
	// QueryIndexes answers the CREATE INDEX statements for the tables in schema.
	QueryIndexes(schema string) []string
}

// EventUse is what a read model does with each event type the domain declares: it folds
// the Handled ones into its tables and leaves the Ignored ones alone (Apply still sees
// them). Every type is in exactly one list, which a test of the read models checks, so
// that a new event type is a decision in each read model rather than an omission the
// compiler cannot see; the same test applies every Ignored type and finds no row written.
type EventUse struct {
	Handled []string
	Ignored []string
}

// EventUser is implemented by a read model that declares its EventUse; every read model
// of the service does.
type EventUser interface {
	Events() EventUse
}

// Envelope is one stored event with its payload decoded.
type Envelope struct {
	eventstore.Event
	Payload domain.Event
	// ref is the parsed stream name, which Decode parses once for every read model;
	// parsed false (an envelope made otherwise) parses it on demand.
	ref           domain.StreamRef
	refOK, parsed bool
}

// StreamRef answers the event's parsed stream name.
func (e *Envelope) StreamRef() (domain.StreamRef, bool) {
	if e.parsed {
		return e.ref, e.refOK
	}
	return domain.ParseStream(e.Stream)
}

// WorkspaceStream answers the workspace of an event of a workspace stream: roster
// events carry only account ids, the workspace is in the stream name.
func (e *Envelope) WorkspaceStream() (uuid.UUID, bool) {
	ref, ok := e.StreamRef()
	if !ok || ref.Kind != domain.StreamKindWorkspace {
		return uuid.Nil, false
	}
	return ref.WorkspaceID, true
}

// Querier is what read model queries need: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Decode answers the envelopes of stored events. An event type the domain does not
// know fails: a projection must never skip an event silently.
func Decode(events []eventstore.Event) ([]Envelope, error) {
	out := make([]Envelope, len(events))
	for i := range events {
		payload, err := domain.DecodeEvent(events[i].Type, events[i].Data)
		if err != nil {
			return nil, &PoisonError{Stream: events[i].Stream, Version: events[i].Version, Position: events[i].Position, Err: err}
		}
		out[i] = Envelope{Event: events[i], Payload: payload, parsed: true}
		out[i].ref, out[i].refOK = domain.ParseStream(events[i].Stream)
	}
	return out, nil
}

// PoisonError is an event that a projection cannot apply, ever: an unknown type, an
// undecodable payload, a gap in its stream. It stops the projection with the event named.
type PoisonError struct {
	Stream   string
	Version  int64
	Position eventstore.Position
	Err      error
}

// Error implements error: the event named, then the cause.
func (e *PoisonError) Error() string {
	return fmt.Sprintf("%s version %d (position %s): %v", e.Stream, e.Version, e.Position, e.Err)
}

// Unwrap answers the cause, for errors.Is and errors.As.
func (e *PoisonError) Unwrap() error { return e.Err }

// Qualified answers schema.table, quoted: how read models name their tables in SQL.
func Qualified(schema, table string) string {
	return pgx.Identifier{schema, table}.Sanitize()
}

// Without answers the types of family less those of handled: the part of an event family
// that a read model handling some of it ignores.
func Without(family []string, handled ...string) []string {
	out := make([]string, 0, len(family))
	for _, t := range family {
		if !slices.Contains(handled, t) {
			out = append(out, t)
		}
	}
	return out
}
