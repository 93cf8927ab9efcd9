package http

import (
	"errors"
	"net/url"
	"testing"
)

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
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			u, _ := url.Parse("/?" + tt.query)
			q := newQuery(u)
			q.int("limit", 1, 500)
			q.list("status")
			q.id("project")
			q.time("from")
			err := q.done()
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
		q := newQuery(u)
		q.int("limit", 1, 500)
		q.list("status")
		q.id("project")
		q.time("from")
		q.str("q")
		if err := q.done(); err != nil {
			var fe *fieldError
			if !errors.As(err, &fe) {
				t.Fatalf("%q: %v is not a field error", raw, err)
			}
		}
	})
}
