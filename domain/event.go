package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// Event is a fact a decision produced. EventType answers its fixed, namespaced, past-tense
// type name (such as "member.invited"). Type names are string constants, never derived from
// Go type names, so renaming a Go type can never orphan stored history; a breaking payload
// change gets a new type name.
type Event interface {
	EventType() string
}

// ErrUnknownEventType is wrapped by DecodeEvent's error for a type it does not know.
var ErrUnknownEventType = errors.New("unknown event type")

// codec decodes one event type.
type codec struct {
	eventType string
	decode    func(data []byte) (Event, error)
}

// codecFor answers the codec of event struct E; the type name comes from E itself, so the
// registry cannot pair a name with the wrong struct.
func codecFor[E Event]() codec {
	var zero E
	return codec{eventType: zero.EventType(), decode: decodeAs[E]}
}

func decodeAs[E Event](data []byte) (Event, error) {
	var e E
	if err := decodeStrict(data, &e); err != nil {
		return nil, err
	}
	return e, nil
}

// registry maps every event type this package produces to its decoder.
var registry = index(workspaceCodecs, rosterCodecs, accessCodecs, tokenCodecs, accountCodecs, claimCodecs)

func index(groups ...[]codec) map[string]codec {
	m := make(map[string]codec)
	for _, group := range groups {
		for _, c := range group {
			if _, dup := m[c.eventType]; dup {
				panic("domain: event type registered twice: " + c.eventType)
			}
			m[c.eventType] = c
		}
	}
	return m
}

// The event types of each family, in declaration order: for code that decides about
// them a family at a time, such as a read model declaring what it handles.

// WorkspaceEventTypes answers the workspace stream's own events: configuration, catalog,
// lifecycle and spend scopes.
func WorkspaceEventTypes() []string { return typesOf(workspaceCodecs) }

// RosterEventTypes answers the member events of the roster (RosterEvent).
func RosterEventTypes() []string { return typesOf(rosterCodecs) }

// AccessEventTypes answers the events of a member's grants (AccessEvent).
func AccessEventTypes() []string { return typesOf(accessCodecs) }

// TokenEventTypes answers the API token events.
func TokenEventTypes() []string { return typesOf(tokenCodecs) }

// AccountEventTypes answers the account events.
func AccountEventTypes() []string { return typesOf(accountCodecs) }

// ClaimEventTypes answers the email and login claim events.
func ClaimEventTypes() []string { return typesOf(claimCodecs) }

func typesOf(codecs []codec) []string {
	types := make([]string, len(codecs))
	for i, c := range codecs {
		types[i] = c.eventType
	}
	return types
}

// EventTypes answers every registered event type, sorted.
func EventTypes() []string {
	types := make([]string, 0, len(registry))
	for t := range registry {
		types = append(types, t)
	}
	slices.Sort(types)
	return types
}

// DecodeEvent decodes stored event data into the event struct of eventType. Decoding is
// strict: data must be exactly one JSON object whose fields the struct knows, because a
// field we silently drop is history we silently lose. An unknown type wraps
// ErrUnknownEventType.
func DecodeEvent(eventType string, data []byte) (Event, error) {
	c, ok := registry[eventType]
	if !ok {
		return nil, fmt.Errorf("domain: %w %q", ErrUnknownEventType, eventType)
	}
	e, err := c.decode(data)
	if err != nil {
		return nil, fmt.Errorf("domain: decode %s: %w", eventType, err)
	}
	return e, nil
}

func decodeStrict(data []byte, into any) error {
	if !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) {
		return errors.New("data is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data continues after the JSON object")
	}
	return nil
}

// utc answers t in UTC without a monotonic reading, the form every instant takes in an
// event, so that encoding and re-decoding an event answers an equal value.
func utc(t time.Time) time.Time { return t.UTC() }

// utcPtr is utc for optional instants.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
