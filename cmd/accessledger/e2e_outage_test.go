package main

import (
	nethttp "net/http"
	"testing"

	"accessledger/eventstore/kurrentdb/kurrentdbtest"
)

// TestCommandsWaitOutAKurrentDBOutage: while the event store is down a command answers
// 503 `unavailable` with Retry-After, and the same command retried with its
// Idempotency-Key once the store is back applies.
func TestCommandsWaitOutAKurrentDBOutage(t *testing.T) {
	server := kurrentdbtest.Start(t)
	platform := startAPIOn(t, server.URL())
	base, owner, _ := newWorkspace(platform, "Outage", 10, "ops@outage.example")
	invite := map[string]any{"email": "ada@outage.example", "first_name": "Ada", "last_name": "Lovelace", "role": "member"}

	server.Stop()
	resp, data := owner.call("POST", base+"/invitations", invite, nethttp.StatusServiceUnavailable, nil, "Idempotency-Key", "invite-ada")
	if code := problemCode(t, data); code != "unavailable" || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("a command with the store down: %s, Retry-After %q; want unavailable, 1", code, resp.Header.Get("Retry-After"))
	}

	if err := server.Resume(); err != nil {
		t.Fatal(err)
	}
	status := 0
	for try := 0; try < 3 && status != nethttp.StatusCreated; try++ {
		resp, _ := owner.try("POST", base+"/invitations", invite, "Idempotency-Key", "invite-ada")
		status = resp.StatusCode
	}
	if status != nethttp.StatusCreated {
		t.Fatalf("the retried command after the outage: status %d, want 201", status)
	}
	var members struct{ Items []struct{ Email string } }
	owner.call("GET", base+"/members?status=invited", nil, nethttp.StatusOK, &members)
	if len(members.Items) != 1 || members.Items[0].Email != "ada@outage.example" {
		t.Fatalf("invited members after the outage: %+v, want Ada once", members.Items)
	}
}
