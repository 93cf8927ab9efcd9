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

// param is one query parameter of a route: the handler parses it and the OpenAPI
// document states it, both from this declaration (query_params.go).
type param struct {
	name     string
	rule     string // the name of its rule in fieldRules
	list     bool   // repeated, or comma-separated
	required bool
}

// queryParams parses a request's query parameters, remembering the first bad one. It
// refuses parameters the route does not declare (a typo must not silently widen a
// list) and values that break their rule (control characters, NUL included, invalid
// UTF-8, values too long), before any of them reaches a read model.
type queryParams struct {
	values url.Values
	params []param
	err    error
}

// newQuery answers a parser of u's query for a route that declares params. A query
// that is not well formed (a bad percent escape, a semicolon) is refused whole rather
// than read in part, as url.URL.Query would.
func newQuery(u *url.URL, params ...param) *queryParams {
	values, err := url.ParseQuery(u.RawQuery)
	q := &queryParams{values: values, params: params}
	if err != nil {
		q.fail("query", "is not a well-formed query string: %v", err)
	}
	return q
}

func (q *queryParams) fail(name, format string, args ...any) {
	if q.err == nil {
		q.err = badField(name, format, args...)
	}
}

// declared answers the declaration of parameter name. Asking for one the route does not
// declare is a bug of the handler, not of the request.
func (q *queryParams) declared(name string) param {
	i := slices.IndexFunc(q.params, func(p param) bool { return p.name == name })
	if i < 0 {
		panic("http: query parameter " + name + " is not declared for this route")
	}
	return q.params[i]
}

// str answers parameter name, at most once in the query, checked against its rule.
func (q *queryParams) str(name string) string {
	p := q.declared(name)
	vs := q.values[name]
	if len(vs) > 1 {
		q.fail(name, "may be given once")
	}
	if len(vs) == 0 {
		return ""
	}
	if problem := ruleNamed(p.rule).check(vs[0]); problem != "" {
		q.fail(name, "%s", problem)
		return ""
	}
	return vs[0]
}

// list answers parameter name as a list: repeated, or comma-separated; every item is
// checked against the rule.
func (q *queryParams) list(name string) []string {
	rule := ruleNamed(q.declared(name).rule)
	var out []string
	for _, v := range q.values[name] {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item == "" {
				continue
			}
			if problem := rule.check(item); problem != "" {
				q.fail(name, "%s", problem)
				return nil
			}
			out = append(out, item)
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

// int answers parameter name as an integer within its rule's bounds; 0 when absent.
func (q *queryParams) int(name string) int {
	r := ruleNamed(q.declared(name).rule)
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < *r.minimum || n > *r.maximum {
		q.fail(name, "must be an integer from %d to %d", *r.minimum, *r.maximum)
	}
	return n
}

// done answers the first bad parameter, a required one missing, or one the route does
// not declare.
func (q *queryParams) done() error {
	if q.err != nil {
		return q.err
	}
	var names []string
	for _, p := range q.params {
		names = append(names, p.name)
		if p.required && q.values.Get(p.name) == "" {
			return badField(p.name, "is required")
		}
	}
	for name := range q.values {
		if !slices.Contains(names, name) {
			if len(names) == 0 {
				return badField(name, "is not a parameter of this request; it takes none")
			}
			return badField(name, "is not a parameter of this request; it takes %s", strings.Join(names, ", "))
		}
	}
	return nil
}

// workspaceQuery answers the workspace of r's path and a parser of its query for a
// route that declares params.
func workspaceQuery(r *nethttp.Request, params ...param) (uuid.UUID, *queryParams, error) {
	ws, err := pathID(r, "ws")
	return ws, newQuery(r.URL, params...), err
}
