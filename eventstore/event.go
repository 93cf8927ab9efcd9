package eventstore

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// EventData is an event on its way into the store.
type EventData struct {
	// ID identifies the event forever. Callers derive it from the command id, so that a
	// retried command appends the same ids and the store answers the first result. A nil
	// ID gets a fresh UUIDv7, which makes that append impossible to retry safely.
	ID uuid.UUID
	// Type is the fixed, namespaced type name, such as "member.invited".
	Type string
	// SchemaVersion is the version of Data's shape for Type; zero means 1.
	SchemaVersion int
	// Data is the payload: one JSON value, stored byte for byte as given.
	Data json.RawMessage
	// Metadata says who caused the event, why and when.
	Metadata Metadata
}

// Metadata is the part of the envelope that says who caused an event, why and when.
type Metadata struct {
	// CommandID is the command that produced the event.
	CommandID uuid.UUID `json:"command_id"`
	// CorrelationID ties together every event of one user request or process.
	CorrelationID uuid.UUID `json:"correlation_id"`
	// CausationID is the command or event that directly caused this one.
	CausationID uuid.UUID `json:"causation_id"`
	// Actor is the account id of whoever acted, or "system".
	Actor string `json:"actor"`
	// Reason is the actor's stated reason, if any.
	Reason string `json:"reason,omitempty"`
	// OccurredAt is when the command was decided. The store keeps microseconds, in UTC;
	// a zero time is replaced by the time of the append.
	OccurredAt time.Time `json:"occurred_at"`
}

// Event is a stored event with its whole envelope.
type Event struct {
	ID            uuid.UUID
	Stream        string
	Version       int64
	Position      Position
	Type          string
	SchemaVersion int
	Data          json.RawMessage
	Metadata      Metadata
	// RecordedAt is when the store wrote the event (informative; not covered by the hash).
	RecordedAt time.Time
	// PrevHash is the Hash of the previous event of the stream (zero for the first event);
	// Hash is ChainHash(PrevHash, the event).
	PrevHash Hash
	Hash     Hash
}
