package http

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// probeParams are the parameters of a made-up list route.
var probeParams = []param{{name: "limit", rule: "members_limit"}, {name: "status", rule: "member_status", list: true},
	{name: "project", rule: "uuid"}, {name: "from", rule: "time"}, {name: "q", rule: "member_search"},
	{name: "cursor", rule: "cursor"}}

// parseProbe parses a query as a probe route's handler would.
func parseProbe(u *url.URL) error {
	q := newQuery(u, probeParams...)
	q.int("limit")
	q.list("status")
	q.id("project")
	q.time("from")
	q.str("q")
	q.str("cursor")
	return q.done()
}

func TestQueryParams(t *testing.T) {
	tests := []struct {
		query, wantField string // wantField "": valid
	}{
		{query: "limit=10&status=active,invited&status=deleted"},
		{query: "limit=0", wantField: "limit"},
		{query: "limit=x", wantField: "limit"},
		{query: "project=not-a-uuid", wantField: "project"},
		{query: "from=yesterday", wantField: "from"},
		{query: "limit=1&limit=2", wantField: "limit"},
		{query: "lmit=3", wantField: "lmit"},
		{query: "q=%00", wantField: "q"},
		{query: "q=a%0Ab", wantField: "q"},
		{query: "q=a%7Fb", wantField: "q"},
		{query: "q=%FF", wantField: "q"},
		{query: "q=" + strings.Repeat("%C3%A9", ruleNamed("member_search").maxLength)},
		{query: "q=" + strings.Repeat("a", ruleNamed("member_search").maxLength+1), wantField: "q"},
		{query: "status=active,%00", wantField: "status"},
		{query: "status=active,invitedinvited", wantField: "status"},
		{query: "cursor=" + strings.Repeat("A", maxCursorLength+1), wantField: "cursor"},
		{query: "project=%00", wantField: "project"},
		{query: "from=2026-01-01T00:00:00Z%00", wantField: "from"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			u, err := url.Parse("/?" + tt.query)
			if err != nil {
				t.Fatal(err)
			}
			err = parseProbe(u)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			var fe *fieldError
			if !errors.As(err, &fe) || fe.field != tt.wantField {
				t.Fatalf("error %v, want one on %s", err, tt.wantField)
			}
		})
	}
}

// FuzzQueryParams parses arbitrary query strings as the list routes do: every outcome
// is a value or a field error, never a panic.
func FuzzQueryParams(f *testing.F) {
	for _, seed := range []string{"limit=10", "status=a,,b&q=%00", "from=2026-01-01T00:00:00Z", "%zz", "project=" + "0192f0c4-8e4b-7c3a-9d2e-5f6a7b8c9d0e"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u := &url.URL{Path: "/", RawQuery: raw}
		if err := parseProbe(u); err != nil {
			var fe *fieldError
			if !errors.As(err, &fe) {
				t.Fatalf("%q: %v is not a field error", raw, err)
			}
		}
	})
}
