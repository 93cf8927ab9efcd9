package eventstore

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPrepareAppendFillsDefaults(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 123456789, time.FixedZone("CEST", 7200))
	out, err := PrepareAppend("s", Any(), []EventData{{Type: "a.b", Data: json.RawMessage(`{}`)}}, now)
	if err != nil {
		t.Fatal(err)
	}
	e := out[0]
	if e.ID.Version() != 7 || e.SchemaVersion != 1 {
		t.Errorf("id %s (version %d), schema %d; want a UUIDv7 and schema 1", e.ID, e.ID.Version(), e.SchemaVersion)
	}
	if want := now.UTC().Truncate(time.Microsecond); !e.Metadata.OccurredAt.Equal(want) || e.Metadata.OccurredAt.Location() != time.UTC {
		t.Errorf("occurred at %v, want %v in UTC", e.Metadata.OccurredAt, want)
	}
}

func TestPrepareAppendRefuses(t *testing.T) {
	ok := EventData{Type: "a.b", Data: json.RawMessage(`{}`)}
	with := func(f func(*EventData)) []EventData { e := ok; f(&e); return []EventData{ok, e} }
	tests := []struct {
		name, stream, field string
		expected            ExpectedVersion
		events              []EventData
	}{
		{"long stream", strings.Repeat("s", MaxNameLength+1), "stream", Any(), []EventData{ok}},
		{"control character", "s\x00", "stream", Any(), []EventData{ok}},
		{"invalid UTF-8", "s\xff", "stream", Any(), []EventData{ok}},
		{"too many events", "s", "events", Any(), make([]EventData, MaxEventsPerAppend+1)},
		{"type with space", "s", "events[1].type", Any(), with(func(e *EventData) { e.Type = "a b" })},
		{"data too large", "s", "events[1].data", Any(), with(func(e *EventData) { e.Data = make([]byte, MaxDataSize+1) })},
		{"long actor", "s", "events[1].metadata.actor", Any(), with(func(e *EventData) { e.Metadata.Actor = strings.Repeat("a", 300) })},
		{"reason with NUL", "s", "events[1].metadata.reason", Any(), with(func(e *EventData) { e.Metadata.Reason = "a\x00" })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PrepareAppend(tc.stream, tc.expected, tc.events, time.Now())
			var v *ValidationError
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &v) || v.Field != tc.field {
				t.Fatalf("error %v, want a validation error on %s", err, tc.field)
			}
		})
	}
}
