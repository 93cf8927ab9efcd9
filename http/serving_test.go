package http

import (
	"fmt"
	nethttp "net/http"
	"slices"
	"testing"

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
