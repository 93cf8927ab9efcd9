// Package kurrentdb is the EventStoreDB/KurrentDB backend of eventstore.Store, on
// github.com/kurrent-io/KurrentDB-Client-Go. This file holds what the backend does
// without a server: envelope, position and error conversion, and the log filter.
package kurrentdb

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"accessledger/eventstore"
)

// envelope is the metadata accessledger writes with every event: the parts of the
// envelope KurrentDB has no field for, and the stream's hash chain, so that
// `accessledger verify` checks this backend as it checks Postgres.
//
// Every value is a JSON string: the server's multi-stream append takes metadata of
// string values only.
type envelope struct {
	eventstore.Metadata
	SchemaVersion schemaVersion `json:"schema_version"`
	PrevHash      string        `json:"prev_hash"` // hex; empty for a stream's first event
	Hash          string        `json:"hash"`      // hex
}

// schemaVersion is the envelope's schema version, written as a JSON string and read as
// a string or as the number that earlier releases wrote.
type schemaVersion int

// MarshalJSON implements json.Marshaler: the version as a string.
func (v schemaVersion) MarshalJSON() ([]byte, error) {
	return json.Marshal(strconv.Itoa(int(v)))
}

// UnmarshalJSON implements json.Unmarshaler: a string or a number.
func (v *schemaVersion) UnmarshalJSON(b []byte) error {
	text := string(b)
	if unquoted, err := strconv.Unquote(text); err == nil {
		text = unquoted
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return fmt.Errorf("schema_version %s is not a whole number", b)
	}
	*v = schemaVersion(n)
	return nil
}

// toEventData answers the KurrentDB form of a sealed event (eventstore.Seal): its id is
// the event's, so that the server's idempotence by id and ours agree.
func toEventData(e *eventstore.Event) (kurrentdb.EventData, error) {
	env := envelope{Metadata: e.Metadata, SchemaVersion: schemaVersion(e.SchemaVersion), Hash: e.Hash.String()}
	if !e.PrevHash.IsZero() {
		env.PrevHash = e.PrevHash.String()
	}
	meta, err := json.Marshal(env)
	if err != nil {
		return kurrentdb.EventData{}, fmt.Errorf("encode the envelope of %s: %w", e.ID, err)
	}
	return kurrentdb.EventData{EventID: e.ID, EventType: e.Type, ContentType: kurrentdb.ContentTypeJson, Data: e.Data, Metadata: meta}, nil
}

// fromRecorded answers the stored event a KurrentDB record holds. KurrentDB counts a
// stream's revisions from 0, accessledger's versions from 1.
func fromRecorded(r *kurrentdb.RecordedEvent) (eventstore.Event, error) {
	var env envelope
	if err := json.Unmarshal(r.UserMetadata, &env); err != nil {
		return eventstore.Event{}, fmt.Errorf("%s revision %d: the metadata is not accessledger's envelope: %w", r.StreamID, r.EventNumber, err)
	}
	if r.Position.Commit == noPosition || r.Position.Prepare == noPosition {
		return eventstore.Event{}, fmt.Errorf("%s revision %d: %w", r.StreamID, r.EventNumber, errNoStreamPositions)
	}
	e := eventstore.Event{ID: r.EventID, Stream: r.StreamID, Version: int64(r.EventNumber) + 1, Position: toPosition(r.Position),
		Type: r.EventType, SchemaVersion: int(env.SchemaVersion), Data: json.RawMessage(r.Data), Metadata: env.Metadata,
		RecordedAt: r.CreatedDate.UTC().Truncate(time.Microsecond)}
	var err error
	if e.Hash, err = parseHash(env.Hash); err != nil {
		return eventstore.Event{}, fmt.Errorf("%s version %d: hash: %w", e.Stream, e.Version, err)
	}
	if env.PrevHash != "" {
		if e.PrevHash, err = parseHash(env.PrevHash); err != nil {
			return eventstore.Event{}, fmt.Errorf("%s version %d: prev_hash: %w", e.Stream, e.Version, err)
		}
	}
	return e, nil
}

// noPosition is what servers that do not give stream reads their $all position put
// in its place.
const noPosition = math.MaxUint64

// errNoStreamPositions refuses a server that reads streams without their $all positions:
// commands answer them and auditors' as-of reads compare them, so they cannot be
// made up.
var errNoStreamPositions = errors.New("the server reads streams without their $all position; accessledger needs a server that gives it (KurrentDB, or EventStoreDB 22.10 and later)")

func parseHash(s string) (eventstore.Hash, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return eventstore.Hash{}, err
	}
	return eventstore.HashFromBytes(b)
}

// toPosition encodes a position of $all in the store's ordered position: the commit
// position first, then the prepare position, which orders events of one commit.
func toPosition(p kurrentdb.Position) eventstore.Position {
	return eventstore.NewPosition(p.Commit, p.Prepare)
}

// fromPosition is toPosition's inverse.
func fromPosition(p eventstore.Position) kurrentdb.Position {
	commit, prepare := p.Parts()
	return kurrentdb.Position{Commit: commit, Prepare: prepare}
}

// revision answers the KurrentDB revision of a stream version (versions from 1).
func revision(version int64) uint64 { return uint64(version - 1) }
