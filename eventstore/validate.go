package eventstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Limits on what one append may carry. They keep a single bad request from filling the
// store or a backend's statement.
const (
	MaxNameLength      = 255     // bytes in a stream name, event type or actor
	MaxReasonLength    = 4096    // bytes in a reason
	MaxDataSize        = 1 << 20 // bytes in one event's data
	MaxEventsPerAppend = 1000
)

// PrepareAppend checks an append and answers the events as a backend stores them: every
// event with an id, a schema version, and an occurred-at time in UTC cut to microseconds
// (the precision every backend keeps). now stands in for missing times.
//
// Every backend calls it before writing, so that bad input fails the same way everywhere
// and nothing is written.
func PrepareAppend(stream string, expected ExpectedVersion, events []EventData, now time.Time) ([]EventData, error) {
	if err := ValidateStreamName(stream); err != nil {
		return nil, err
	}
	if v, ok := expected.Version(); ok && v < 0 {
		return nil, &ValidationError{Field: "expected_version", Problem: fmt.Sprintf("%d is below zero", v)}
	}
	if len(events) == 0 {
		return nil, &ValidationError{Field: "events", Problem: "no events to append"}
	}
	if len(events) > MaxEventsPerAppend {
		return nil, &ValidationError{Field: "events", Problem: fmt.Sprintf("%d events, at most %d in one append", len(events), MaxEventsPerAppend)}
	}
	out := make([]EventData, len(events))
	seen := make(map[uuid.UUID]bool, len(events))
	for i, e := range events {
		p, err := prepareEvent(e, now)
		if err != nil {
			err.Field = fmt.Sprintf("events[%d].%s", i, err.Field)
			return nil, err
		}
		if seen[p.ID] {
			return nil, &ValidationError{Field: fmt.Sprintf("events[%d].id", i), Problem: "repeated in the same append"}
		}
		seen[p.ID] = true
		out[i] = p
	}
	return out, nil
}

// PrepareStreams is PrepareAppend for the parts of AppendStreams: it also refuses an
// append of no parts, a stream named twice, an expected version Any, and more events
// than MaxEventsPerAppend in all. It answers the parts with their prepared events.
func PrepareStreams(parts []StreamAppend, now time.Time) ([]StreamAppend, error) {
	if len(parts) == 0 {
		return nil, &ValidationError{Field: "parts", Problem: "no streams to append to"}
	}
	out := make([]StreamAppend, len(parts))
	seen := make(map[string]bool, len(parts))
	ids := make(map[uuid.UUID]bool)
	total := 0
	for i, p := range parts {
		field := fmt.Sprintf("parts[%d]", i)
		if p.Expected.IsAny() {
			return nil, &ValidationError{Field: field + ".expected_version", Problem: "must be exact in a multi-stream append"}
		}
		if seen[p.Stream] {
			return nil, &ValidationError{Field: field + ".stream", Problem: "named by an earlier part"}
		}
		seen[p.Stream] = true
		events, err := PrepareAppend(p.Stream, p.Expected, p.Events, now)
		var invalid *ValidationError
		if errors.As(err, &invalid) {
			invalid.Field = field + "." + invalid.Field
		}
		if err != nil {
			return nil, err
		}
		for j, e := range events {
			if ids[e.ID] {
				return nil, &ValidationError{Field: fmt.Sprintf("%s.events[%d].id", field, j), Problem: "repeated in the same append"}
			}
			ids[e.ID] = true
		}
		total += len(events)
		out[i] = StreamAppend{Stream: p.Stream, Expected: p.Expected, Events: events}
	}
	if total > MaxEventsPerAppend {
		return nil, &ValidationError{Field: "parts", Problem: fmt.Sprintf("%d events, at most %d in one append", total, MaxEventsPerAppend)}
	}
	return out, nil
}

func prepareEvent(e EventData, now time.Time) (EventData, *ValidationError) {
	if err := checkName(e.Type); err != "" {
		return e, &ValidationError{Field: "type", Problem: err}
	}
	if e.SchemaVersion < 0 {
		return e, &ValidationError{Field: "schema_version", Problem: "below zero"}
	}
	if len(e.Data) > MaxDataSize {
		return e, &ValidationError{Field: "data", Problem: fmt.Sprintf("%d bytes, at most %d", len(e.Data), MaxDataSize)}
	}
	if !json.Valid(e.Data) {
		return e, &ValidationError{Field: "data", Problem: "not valid JSON"}
	}
	if len(e.Metadata.Actor) > MaxNameLength || !utf8.ValidString(e.Metadata.Actor) {
		return e, &ValidationError{Field: "metadata.actor", Problem: fmt.Sprintf("must be valid UTF-8 of at most %d bytes", MaxNameLength)}
	}
	if len(e.Metadata.Reason) > MaxReasonLength || !utf8.ValidString(e.Metadata.Reason) || strings.ContainsRune(e.Metadata.Reason, 0) {
		return e, &ValidationError{Field: "metadata.reason", Problem: fmt.Sprintf("must be valid UTF-8 text of at most %d bytes", MaxReasonLength)}
	}
	if e.ID == uuid.Nil {
		e.ID = uuid.Must(uuid.NewV7())
	}
	if e.SchemaVersion == 0 {
		e.SchemaVersion = 1
	}
	if e.Metadata.OccurredAt.IsZero() {
		e.Metadata.OccurredAt = now
	}
	e.Metadata.OccurredAt = e.Metadata.OccurredAt.UTC().Truncate(time.Microsecond)
	return e, nil
}

// ValidateStreamName checks a stream name: 1 to MaxNameLength bytes of UTF-8 without
// spaces or control characters, not starting with "$" (reserved by KurrentDB).
func ValidateStreamName(stream string) error {
	if msg := checkName(stream); msg != "" {
		return &ValidationError{Field: "stream", Problem: msg}
	}
	if strings.HasPrefix(stream, "$") {
		return &ValidationError{Field: "stream", Problem: `names starting with "$" are reserved`}
	}
	return nil
}

// checkName answers what is wrong with a stream name or event type, or "".
func checkName(s string) string {
	switch {
	case s == "":
		return "empty"
	case len(s) > MaxNameLength:
		return fmt.Sprintf("%d bytes, at most %d", len(s), MaxNameLength)
	case !utf8.ValidString(s):
		return "not valid UTF-8"
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return "contains spaces or control characters"
	}
	return ""
}
