package eventstore

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
)

// Hash is a link of a stream's hash chain: SHA-256 over the previous link and the
// canonical encoding of one event. Editing any stored event breaks the chain from that
// event on, which Verify reports.
type Hash [sha256.Size]byte

// String answers h in lowercase hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is the zero hash, the PrevHash of a stream's first event.
func (h Hash) IsZero() bool { return h == Hash{} }

// HashFromBytes converts a stored hash back to a Hash.
func HashFromBytes(b []byte) (Hash, error) {
	var h Hash
	if len(b) != len(h) {
		return h, fmt.Errorf("hash of %d bytes, want %d", len(b), len(h))
	}
	copy(h[:], b)
	return h, nil
}

// canonicalPrefix versions the canonical encoding, so that it can change without making
// old links ambiguous.
const canonicalPrefix = "accessledger.event.v1"

// ChainHash answers the link of event e that follows prev.
//
// The canonical encoding of an event is canonicalPrefix followed by these fields, each
// as a 4-byte big-endian length and its bytes: event id (16 bytes), stream, version
// (8 bytes), type, schema version (8 bytes), occurred-at in Unix microseconds (8 bytes),
// command id, correlation id, causation id (16 bytes each), actor, reason, data (the
// stored bytes). Position and RecordedAt are left out: they are the backend's, not the
// event's, and differ between backends.
func ChainHash(prev Hash, e *Event) Hash {
	h := sha256.New()
	h.Write(prev[:])
	w := canonicalWriter{h: h}
	w.bytes([]byte(canonicalPrefix))
	w.bytes(e.ID[:])
	w.bytes([]byte(e.Stream))
	w.int(e.Version)
	w.bytes([]byte(e.Type))
	w.int(int64(e.SchemaVersion))
	w.int(e.Metadata.OccurredAt.UnixMicro())
	w.bytes(e.Metadata.CommandID[:])
	w.bytes(e.Metadata.CorrelationID[:])
	w.bytes(e.Metadata.CausationID[:])
	w.bytes([]byte(e.Metadata.Actor))
	w.bytes([]byte(e.Metadata.Reason))
	w.bytes(e.Data)
	var out Hash
	h.Sum(out[:0])
	return out
}

type canonicalWriter struct {
	h   hash.Hash
	buf [8]byte
}

func (w *canonicalWriter) bytes(b []byte) {
	binary.BigEndian.PutUint32(w.buf[:4], uint32(len(b)))
	w.h.Write(w.buf[:4])
	w.h.Write(b)
}

func (w *canonicalWriter) int(v int64) {
	binary.BigEndian.PutUint64(w.buf[:], uint64(v))
	w.bytes(w.buf[:])
}

// Seal fills in the hash chain of events about to be appended after a stream head at
// version head with link prev: versions head+1, head+2, ... and each PrevHash and Hash.
// Backends call it once they know the head they append after.
func Seal(stream string, head int64, prev Hash, events []EventData) []Event {
	out := make([]Event, len(events))
	for i, d := range events {
		e := &out[i]
		*e = Event{
			ID: d.ID, Stream: stream, Version: head + int64(i) + 1,
			Type: d.Type, SchemaVersion: d.SchemaVersion, Data: d.Data, Metadata: d.Metadata,
			PrevHash: prev,
		}
		e.Hash = ChainHash(prev, e)
		prev = e.Hash
	}
	return out
}
