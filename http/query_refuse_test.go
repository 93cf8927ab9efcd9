package http

import (
	"testing"
)

// TestMemberSearchRefusesNUL sends the member list a search with NUL in it: 400 naming
// q (PostgreSQL refuses NUL in text, which once answered 500).
func TestMemberSearchRefusesNUL(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	for _, q := range []string{"%00", "a%00b", "%FF", "%0A"} {
		a := f.do("GET", "/v1/workspaces/"+f.ws.String()+"/members?q="+q, nil)
		wantFieldError(t, "q="+q, a, "q")
	}
}
