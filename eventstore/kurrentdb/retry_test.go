package kurrentdb

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"accessledger/eventstore"
)

// stored answers a stored event of version with id, at a position that follows versions.
func stored(version int64, id uuid.UUID) eventstore.Event {
	return eventstore.Event{ID: id, Version: version, Position: eventstore.NewPosition(uint64(version), 0)}
}

func TestRetriedAppendsAnswerTheirFirstResult(t *testing.T) {
	ids := []uuid.UUID{uuid.New(), uuid.New()}
	batch := []eventstore.EventData{{ID: ids[0]}, {ID: ids[1]}}
	tests := []struct {
		name   string
		stored []eventstore.Event
		retry  bool
		dup    bool
	}{
		{"the same events where they landed", []eventstore.Event{stored(3, ids[0]), stored(4, ids[1])}, true, false},
		{"others there", []eventstore.Event{stored(3, uuid.New()), stored(4, uuid.New())}, false, false},
		{"nothing there yet", nil, false, false},
		{"one of them beside another", []eventstore.Event{stored(3, ids[0]), stored(4, uuid.New())}, false, true},
		{"in another order", []eventstore.Event{stored(3, ids[1]), stored(4, ids[0])}, false, true},
	}
	for _, tt := range tests {
		res, ok, err := retried(tt.stored, batch, 2)
		if ok != tt.retry || errors.Is(err, eventstore.ErrDuplicateEvent) != tt.dup {
			t.Errorf("%s: retry %t, err %v", tt.name, ok, err)
		}
		if ok && (res.FirstVersion != 3 || res.LastVersion != 4 || res.Position != eventstore.NewPosition(4, 0)) {
			t.Errorf("%s: result %+v, want versions 3..4 at the last one's position", tt.name, res)
		}
	}
}

func TestAnyAppendsFindTheirEventsAnywhereInTheStream(t *testing.T) {
	ids := []uuid.UUID{uuid.New(), uuid.New()}
	batch := []eventstore.EventData{{ID: ids[0]}, {ID: ids[1]}}
	other := func() uuid.UUID { return uuid.New() }
	tests := []struct {
		name   string
		stream []eventstore.Event
		retry  bool
		dup    bool
	}{
		{"landed mid-stream", []eventstore.Event{stored(1, other()), stored(2, ids[0]), stored(3, ids[1]), stored(4, other())}, true, false},
		{"landed at the start", []eventstore.Event{stored(1, ids[0]), stored(2, ids[1])}, true, false},
		{"not there", []eventstore.Event{stored(1, other()), stored(2, other())}, false, false},
		{"an empty stream", nil, false, false},
		{"only the second", []eventstore.Event{stored(1, other()), stored(2, ids[1])}, false, true},
		{"the first at the end", []eventstore.Event{stored(1, other()), stored(2, ids[0])}, false, true},
		{"apart", []eventstore.Event{stored(1, ids[0]), stored(2, other()), stored(3, ids[1])}, false, true},
	}
	for _, tt := range tests {
		res, ok, err := retriedAnywhere(tt.stream, batch)
		if ok != tt.retry || errors.Is(err, eventstore.ErrDuplicateEvent) != tt.dup {
			t.Errorf("%s: retry %t, err %v", tt.name, ok, err)
		}
		if ok && res.LastVersion-res.FirstVersion != 1 {
			t.Errorf("%s: result %+v, want two versions", tt.name, res)
		}
	}
	res, _, _ := retriedAnywhere(tests[0].stream, batch)
	if res.FirstVersion != 2 || res.LastVersion != 3 || res.Position != eventstore.NewPosition(3, 0) {
		t.Errorf("mid-stream: result %+v, want versions 2..3 at the second's position", res)
	}
}
