package http

import (
	nethttp "net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// queryParams parses a request's query parameters, remembering the first bad one, and
// refuses parameters a route does not know (a typo must not silently widen a list).
type queryParams struct {
	values url.Values
	known  []string
	err    error
}

func newQuery(u *url.URL) *queryParams { return &queryParams{values: u.Query()} }

func (q *queryParams) fail(name, format string, args ...any) {
	if q.err == nil {
		q.err = badField(name, format, args...)
	}
}

// str answers parameter name, at most once in the query.
func (q *queryParams) str(name string) string {
	q.known = append(q.known, name)
	vs := q.values[name]
	if len(vs) > 1 {
		q.fail(name, "may be given once")
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// list answers parameter name as a list: repeated, or comma-separated.
func (q *queryParams) list(name string) []string {
	q.known = append(q.known, name)
	var out []string
	for _, v := range q.values[name] {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// id answers parameter name as a UUID; uuid.Nil when absent.
func (q *queryParams) id(name string) uuid.UUID {
	s := q.str(name)
	if s == "" {
		return uuid.Nil
	}
	id, err := parseID(name, s)
	if err != nil && q.err == nil {
		q.err = err
	}
	return id
}

// time answers parameter name as an RFC 3339 time; the zero time when absent.
func (q *queryParams) time(name string) time.Time {
	t, err := parseOptionalTime(name, q.str(name))
	if err != nil && q.err == nil {
		q.err = err
	}
	if t == nil {
		return time.Time{}
	}
	return *t
}

// int answers parameter name as an integer in [min, max]; 0 when absent.
func (q *queryParams) int(name string, min, max int) int {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		q.fail(name, "must be an integer from %d to %d", min, max)
	}
	return n
}

// done answers the first bad parameter, or one the route does not know.
func (q *queryParams) done() error {
	if q.err != nil {
		return q.err
	}
	for name := range q.values {
		if !slices.Contains(q.known, name) {
			return badField(name, "is not a parameter of this request; it takes %s", strings.Join(q.known, ", "))
		}
	}
	return nil
}

// workspaceQuery answers the workspace of r's path and a parser of its query.
func workspaceQuery(r *nethttp.Request) (uuid.UUID, *queryParams, error) {
	ws, err := pathID(r, "ws")
	return ws, newQuery(r.URL), err
}
