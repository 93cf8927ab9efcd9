package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/eventstore"
)

func testAppendAndReadBack(t *testing.T, h Harness) {
	s := h.NewStore(t)
	stream := streamName("member")
	occurred := time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.FixedZone("X", 3600))
	in := events(3)
	in[0].Data = json.RawMessage(`{"b": 1,  "a": [1, 2.50, "\u00e9"]}`) // kept byte for byte
	in[0].SchemaVersion = 2
	in[0].Metadata = eventstore.Metadata{
		CommandID: uuid.New(), CorrelationID: uuid.New(), CausationID: uuid.New(),
		Actor: uuid.NewString(), Reason: "quarterly access review", OccurredAt: occurred,
	}
	res := mustAppend(t, s, stream, eventstore.NoStream(), in...)
	if res.FirstVersion != 1 || res.LastVersion != 3 || res.Position.IsZero() {
		t.Fatalf("result = %+v, want versions 1..3 and a position", res)
	}
	got := mustReadStream(t, s, stream)
	if len(got) != 3 {
		t.Fatalf("read %d events, want 3", len(got))
	}
	var prev eventstore.Hash
	for i, e := range got {
		want := in[i]
		if e.ID != want.ID || e.Type != want.Type || e.Stream != stream || e.Version != int64(i+1) {
			t.Errorf("event %d = %s %s %s v%d, want %s %s %s v%d", i, e.ID, e.Type, e.Stream, e.Version, want.ID, want.Type, stream, i+1)
		}
		if !bytes.Equal(e.Data, want.Data) {
			t.Errorf("event %d data = %s, want %s", i, e.Data, want.Data)
		}
		if e.PrevHash != prev || e.Hash != eventstore.ChainHash(prev, &e) {
			t.Errorf("event %d: hash chain broken", i)
		}
		if i > 0 && !got[i-1].Position.Before(e.Position) {
			t.Errorf("event %d position %s not after %s", i, e.Position, got[i-1].Position)
		}
		prev = e.Hash
	}
	first := got[0]
	wantMeta := in[0].Metadata
	wantMeta.OccurredAt = occurred.UTC().Truncate(time.Microsecond)
	if !sameMetadata(first.Metadata, wantMeta) || first.SchemaVersion != 2 {
		t.Errorf("metadata = %+v v%d, want %+v v2", first.Metadata, first.SchemaVersion, wantMeta)
	}
	if got[1].SchemaVersion != 1 || got[1].Metadata.OccurredAt.IsZero() {
		t.Errorf("defaults not applied: schema %d, occurred %v", got[1].SchemaVersion, got[1].Metadata.OccurredAt)
	}
	if got[2].Position != res.Position {
		t.Errorf("last position %s, result says %s", got[2].Position, res.Position)
	}
}

func testExpectedVersion(t *testing.T, h Harness) {
	s := h.NewStore(t)
	tests := []struct {
		name     string
		existing int
		expected eventstore.ExpectedVersion
		actual   int64 // -1: the append succeeds
	}{
		{"no stream on a new stream", 0, eventstore.NoStream(), -1},
		{"exact 0 on a new stream", 0, eventstore.Exact(0), -1},
		{"any on a new stream", 0, eventstore.Any(), -1},
		{"exact on a new stream", 0, eventstore.Exact(3), 0},
		{"exact current", 2, eventstore.Exact(2), -1},
		{"any on an existing stream", 2, eventstore.Any(), -1},
		{"no stream on an existing stream", 2, eventstore.NoStream(), 2},
		{"exact behind", 2, eventstore.Exact(1), 2},
		{"exact ahead", 2, eventstore.Exact(3), 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stream := streamName("ws")
			if tc.existing > 0 {
				mustAppend(t, s, stream, eventstore.NoStream(), events(tc.existing)...)
			}
			res, err := s.Append(testContext(t), stream, tc.expected, event(9))
			if tc.actual < 0 {
				if err != nil || res.LastVersion != int64(tc.existing+1) {
					t.Fatalf("append = %+v, %v; want version %d", res, err, tc.existing+1)
				}
				return
			}
			var conflict *eventstore.VersionConflictError
			if !errors.Is(err, eventstore.ErrVersionConflict) || !errors.As(err, &conflict) {
				t.Fatalf("append = %+v, %v; want a version conflict", res, err)
			}
			if conflict.Actual != tc.actual || conflict.Stream != stream {
				t.Errorf("conflict = %+v, want actual %d on %s", conflict, tc.actual, stream)
			}
			if n := len(readStreamOrNone(t, s, stream)); n != tc.existing {
				t.Errorf("stream has %d events after a conflict, want %d", n, tc.existing)
			}
		})
	}
}

// readStreamOrNone is mustReadStream that answers nothing for a missing stream.
func readStreamOrNone(t *testing.T, s eventstore.Store, stream string) []eventstore.Event {
	t.Helper()
	evs, err := s.ReadStream(testContext(t), stream, eventstore.ReadStreamOptions{Limit: 10_000})
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		t.Fatalf("read %s: %v", stream, err)
	}
	return evs
}

func testInvalidInput(t *testing.T, h Harness) {
	s := h.NewStore(t)
	good := func() []eventstore.EventData { return events(2) }
	with := func(f func([]eventstore.EventData)) []eventstore.EventData {
		evs := good()
		f(evs)
		return evs
	}
	dup := good()
	dup[1].ID = dup[0].ID
	tests := []struct {
		name     string
		stream   string
		expected eventstore.ExpectedVersion
		events   []eventstore.EventData
		field    string
	}{
		{"empty stream", "", eventstore.Any(), good(), "stream"},
		{"reserved stream", "$all", eventstore.Any(), good(), "stream"},
		{"stream with a space", "a b", eventstore.Any(), good(), "stream"},
		{"negative expected version", "s", eventstore.Exact(-1), good(), "expected_version"},
		{"no events", "s", eventstore.Any(), nil, "events"},
		{"empty type", "s", eventstore.Any(), with(func(e []eventstore.EventData) { e[1].Type = "" }), "events[1].type"},
		{"invalid JSON", "s", eventstore.Any(), with(func(e []eventstore.EventData) { e[1].Data = json.RawMessage(`{"a":`) }), "events[1].data"},
		{"empty data", "s", eventstore.Any(), with(func(e []eventstore.EventData) { e[0].Data = nil }), "events[0].data"},
		{"two JSON values", "s", eventstore.Any(), with(func(e []eventstore.EventData) { e[0].Data = json.RawMessage(`{} {}`) }), "events[0].data"},
		{"negative schema version", "s", eventstore.Any(), with(func(e []eventstore.EventData) { e[0].SchemaVersion = -2 }), "events[0].schema_version"},
		{"repeated id", "s", eventstore.Any(), dup, "events[1].id"},
	}
	before := mustHead(t, s)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Append(testContext(t), tc.stream, tc.expected, tc.events...)
			var invalid *eventstore.ValidationError
			if !errors.Is(err, eventstore.ErrInvalid) || !errors.As(err, &invalid) || invalid.Field != tc.field {
				t.Fatalf("append error = %v, want a validation error on %s", err, tc.field)
			}
		})
	}
	if after := mustHead(t, s); after != before {
		t.Errorf("head moved from %s to %s: refused appends wrote something", before, after)
	}
}

func mustHead(t *testing.T, s eventstore.Store) eventstore.Position {
	t.Helper()
	p, err := s.Head(testContext(t))
	if err != nil {
		t.Fatalf("head: %v", err)
	}
	return p
}

func sameMetadata(a, b eventstore.Metadata) bool {
	ta, tb := a.OccurredAt, b.OccurredAt
	a.OccurredAt, b.OccurredAt = time.Time{}, time.Time{}
	return a == b && ta.Equal(tb)
}
