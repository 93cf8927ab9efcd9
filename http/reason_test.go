package http

import (
	"strings"
	"testing"

	"accessledger/domain"
)

// TestEveryCommandRefusesABadReason sends every command route a reason the event store
// would refuse (too long, or with NUL) and other control characters: each answers 400
// naming the reason, before anything is decided (it once answered 500 where the
// command was otherwise valid: the store refused the event's metadata).
func TestEveryCommandRefusesABadReason(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	reasons := map[string]string{
		"over the store's 4096 bytes":  strings.Repeat("a", 4097),
		"over the limit in characters": strings.Repeat("é", maxReasonLength+1),
		"NUL":                          "because\x00",
		"control character":            "line\nbreak",
		"DEL":                          "del\x7f",
	}
	commands, skipped := 0, 0
	for _, rt := range f.api.routes() {
		key := rt.method + " " + rt.path
		if rt.method == "GET" {
			continue
		}
		if rt.doc.noBody {
			skipped++
			continue
		}
		commands++
		for name, reason := range reasons {
			a := f.do(rt.method, f.fillPath(rt.path), map[string]string{"reason": reason})
			wantFieldError(t, key+" with a reason "+name, a, "reason")
		}
	}
	// Revoking a token and starting a rebuild read no body.
	if skipped != 2 || commands < 40 {
		t.Errorf("%d command routes and %d without a body: the route table changed", commands, skipped)
	}
}

// TestReasonAtTheLimit sends the longest reason the API documents, in the widest
// characters UTF-8 has: the event store keeps it whole.
func TestReasonAtTheLimit(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	reason := strings.Repeat("𝄞", maxReasonLength) // 4 bytes each
	a := f.do("PATCH", "/v1/workspaces/"+f.ws.String(), map[string]string{"name": "Renamed", "reason": reason})
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if got := f.lastReason(domain.WorkspaceStream(f.ws)); got != reason {
		t.Errorf("recorded a reason of %d bytes, sent %d", len(got), len(reason))
	}
}
