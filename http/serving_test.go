package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"slices"
	"sync"
	"testing"

	"accessledger/eventstore"
	"accessledger/projections"
)

// building is a Waiter whose read models named in building are still being built.
type building struct {
	Waiter
	building []string
}

func (b building) Serving(names ...string) error {
	for _, n := range names {
		if slices.Contains(b.building, n) {
			return fmt.Errorf("%w: %s is being built", projections.ErrNotReady, n)
		}
	}
	return b.Waiter.Serving(names...)
}

// TestQueriesOfAReadModelBeingBuilt: while the member list is built at start, its
// tables are empty; the queries that read it answer 503 not_ready with Retry-After, not
// an empty list, a 404 for a member, or a refusal of an account's manager. Queries of
// read models that are served answer.
func TestQueriesOfAReadModelBeingBuilt(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	f.api.Waiter = building{Waiter: f.api.Waiter, building: []string{membersModel}}
	ws := "/v1/workspaces/" + f.ws.String()
	tests := []struct {
		path string
		want int
	}{
		{ws + "/members", nethttp.StatusServiceUnavailable},
		{ws + "/members/" + f.member.String(), nethttp.StatusServiceUnavailable},
		{"/v1/accounts/" + f.owner.String(), nethttp.StatusServiceUnavailable},
		{ws + "/licenses", nethttp.StatusOK},
		{ws + "/access/check?account=" + f.owner.String() + "&action=login", nethttp.StatusOK},
	}
	for _, tt := range tests {
		a := f.do("GET", tt.path, nil)
		if a.status != tt.want {
			t.Errorf("GET %s: %d %s, want %d", tt.path, a.status, a.body, tt.want)
			continue
		}
		if tt.want != nethttp.StatusServiceUnavailable {
			continue
		}
		var p problemDoc
		decodeProblem(t, a, &p)
		if p.Code != "not_ready" || a.header.Get("Retry-After") == "" {
			t.Errorf("GET %s: %s, Retry-After %q, want not_ready with Retry-After", tt.path, p.Code, a.header.Get("Retry-After"))
		}
	}
}

// recording is a Waiter that records the read models each WaitFor waited for.
type recording struct {
	Waiter
	mu     sync.Mutex
	waited [][]string
}

func (w *recording) WaitFor(ctx context.Context, pos eventstore.Position, names ...string) error {
	w.mu.Lock()
	w.waited = append(w.waited, names)
	w.mu.Unlock()
	return w.Waiter.WaitFor(ctx, pos, names...)
}

// TestAccountRoutesHonourTheConsistencyToken: the account routes find the caller's
// authority in the member list; sent with the consistency token of a command that just
// made a membership (an approval, an acceptance), they wait for the member list to show
// it, as every query does, instead of answering not_found from a list that lags.
func TestAccountRoutesHonourTheConsistencyToken(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	rec := &recording{Waiter: f.api.Waiter}
	f.api.Waiter = rec
	accepted := f.do("POST", "/v1/invitations/accept", map[string]string{"token": f.token})
	token := accepted.header.Get(consistencyHeader)
	if accepted.status != nethttp.StatusOK || token == "" {
		t.Fatalf("accept: %d %s, token %q", accepted.status, accepted.body, token)
	}
	path := "/v1/accounts/" + f.member.String()
	for _, tt := range []struct {
		method string
		body   any
	}{{"GET", nil}, {"PATCH", map[string]string{"first_name": "Mina"}}} {
		before := len(rec.waited)
		if a := f.do(tt.method, path, tt.body, consistencyHeader, token); a.status != nethttp.StatusOK {
			t.Errorf("%s %s: %d %s", tt.method, path, a.status, a.body)
		}
		if len(rec.waited) == before || !slices.Contains(rec.waited[before], membersModel) {
			t.Errorf("%s %s with a consistency token did not wait for the member list: %v", tt.method, path, rec.waited[before:])
		}
	}
}
