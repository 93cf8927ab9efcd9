package main

import (
	nethttp "net/http"
	"testing"
	"time"

	"accessledger/internal/pgerr/pgerrtest"
	"accessledger/internal/pgtest"
)

// TestAPostgreSQLRestartAnswers503: while PostgreSQL restarts (connections cut, then
// refused with 57P03 as the server starts up), commands, member lists, access checks,
// the check of a token and /readyz answer 503 `unavailable` with Retry-After, never 500;
// once it is back, the command retried with its Idempotency-Key applies once.
func TestAPostgreSQLRestartAnswers503(t *testing.T) {
	proxy, url := pgerrtest.Start(t, pgtest.NewDatabase(t))
	t.Setenv("DATABASE_URL", url)
	t.Setenv("EVENTSTORE_URL", "")
	s := startServe(t, "--addr", "127.0.0.1:0")
	platform := &apiClient{t: t, base: s.url, token: platformToken(t), answers: newAnswerChecker(t, s.url)}
	waitReady(t, s.url)
	base, owner, ownerID := newWorkspace(platform, "Restart", 5, "ops@restart.example")
	// A token this server never checked; the owner's, checked last, stays cached a second.
	unchecked := platform.as(platformToken(t))
	owner.call("GET", base+"/members", nil, nethttp.StatusOK, nil)
	invite := map[string]any{"email": "ada@restart.example", "first_name": "Ada", "last_name": "Lovelace", "role": "member"}

	proxy.StartingUp()
	probe := &apiClient{t: t, base: s.url} // /readyz is not part of the API's document
	calls := []struct {
		name   string
		client *apiClient
		method string
		path   string
		body   any
	}{
		{"invite", owner, "POST", base + "/invitations", invite},
		{"list members", owner, "GET", base + "/members", nil},
		{"check access", owner, "GET", base + "/access/check?action=login&account=" + ownerID, nil},
		{"check a token", unchecked, "GET", base, nil},
		{"readiness", probe, "GET", "/readyz", nil},
	}
	// First on the connections the restart cut, then a moment later on those left and on
	// new ones, which the server refuses (57P03).
	for _, phase := range []string{"cut", "starting up"} {
		if phase == "starting up" {
			time.Sleep(200 * time.Millisecond)
		}
		for _, c := range calls {
			resp, data := c.client.try(c.method, c.path, c.body, "Idempotency-Key", "invite-ada")
			if resp.StatusCode != nethttp.StatusServiceUnavailable || problemCode(t, data) != "unavailable" || resp.Header.Get("Retry-After") != "1" {
				t.Errorf("%s, %s: %d %s, Retry-After %q; want 503 unavailable, 1",
					c.name, phase, resp.StatusCode, data, resp.Header.Get("Retry-After"))
			}
		}
	}

	proxy.Resume()
	status := 0
	for try := 0; try < 5 && status != nethttp.StatusCreated; try++ {
		resp, _ := owner.try("POST", base+"/invitations", invite, "Idempotency-Key", "invite-ada")
		status = resp.StatusCode
	}
	if status != nethttp.StatusCreated {
		t.Fatalf("the retried invitation after the restart: status %d, want 201", status)
	}
	var members struct{ Items []struct{ Email string } }
	owner.call("GET", base+"/members?status=invited", nil, nethttp.StatusOK, &members)
	if len(members.Items) != 1 || members.Items[0].Email != "ada@restart.example" {
		t.Errorf("invited members after the restart: %+v, want Ada once", members.Items)
	}
	waitReady(t, s.url)
}
