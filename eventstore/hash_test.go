package eventstore

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
)

func sampleEvent() Event {
	return Event{
		ID: uuid.MustParse("0190b3c4-7f1e-7cc0-9a40-2b6e7c1d5f00"), Stream: "member-1", Version: 3,
		Type: "member.role_changed", SchemaVersion: 1, Data: json.RawMessage(`{"role":"admin"}`),
		Metadata: Metadata{
			CommandID: uuid.MustParse("0190b3c4-7f1e-7cc0-9a40-2b6e7c1d5f01"), Actor: "system",
			Reason: "promotion", OccurredAt: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
		},
	}
}

// TestChainHashCoversEveryField changes each part of an event in turn: every change
// must change the hash, or an edit of that part would go unseen.
func TestChainHashCoversEveryField(t *testing.T) {
	base := sampleEvent()
	prev := Hash{1}
	want := ChainHash(prev, &base)
	if again := ChainHash(prev, &base); again != want {
		t.Fatal("hash is not deterministic")
	}
	if ChainHash(Hash{2}, &base) == want {
		t.Error("prev hash not covered")
	}
	edits := map[string]func(*Event){
		"id":             func(e *Event) { e.ID[15]++ },
		"stream":         func(e *Event) { e.Stream = "member-2" },
		"version":        func(e *Event) { e.Version++ },
		"type":           func(e *Event) { e.Type = "member.invited" },
		"schema version": func(e *Event) { e.SchemaVersion = 2 },
		"data":           func(e *Event) { e.Data = json.RawMessage(`{"role": "admin"}`) },
		"command id":     func(e *Event) { e.Metadata.CommandID[0]++ },
		"correlation id": func(e *Event) { e.Metadata.CorrelationID[0]++ },
		"causation id":   func(e *Event) { e.Metadata.CausationID[0]++ },
		"actor":          func(e *Event) { e.Metadata.Actor = "someone" },
		"reason":         func(e *Event) { e.Metadata.Reason = "" },
		"occurred at":    func(e *Event) { e.Metadata.OccurredAt = e.Metadata.OccurredAt.Add(time.Microsecond) },
		// Moving bytes between neighbouring fields must not keep the hash: lengths are coded.
		"actor and reason boundary": func(e *Event) { e.Metadata.Actor, e.Metadata.Reason = "systemp", "romotion" },
	}
	for name, edit := range edits {
		e := sampleEvent()
		edit(&e)
		if ChainHash(prev, &e) == want {
			t.Errorf("changing the %s keeps the hash", name)
		}
	}
}

func TestSealChainsVersionsAndHashes(t *testing.T) {
	prev := Hash{9}
	in := []EventData{{Type: "a.b", Data: json.RawMessage(`1`)}, {Type: "a.c", Data: json.RawMessage(`2`)}}
	out := Seal("s", 4, prev, in)
	if out[0].Version != 5 || out[1].Version != 6 || out[0].PrevHash != prev || out[1].PrevHash != out[0].Hash {
		t.Fatalf("sealed %+v", out)
	}
	for i := range out {
		if out[i].Hash != ChainHash(out[i].PrevHash, &out[i]) {
			t.Errorf("event %d hash does not match its content", i)
		}
	}
}
