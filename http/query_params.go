package http

import (
	nethttp "net/http"

	"github.com/gorilla/mux"
)

// The orders of the activity log.
const (
	orderNewest = "newest"
	orderOldest = "oldest"
)

// The query parameters of the routes that take some, each naming its rule in
// fieldRules. Each handler parses its query with its list and the OpenAPI document
// states the same list (the route's opDoc).
var (
	memberParams = []param{{name: "status", rule: "member_status", list: true}, {name: "role", rule: "workspace_role"},
		{name: "project", rule: "uuid"}, {name: "client", rule: "uuid"}, {name: "category", rule: "uuid"},
		{name: "q", rule: "member_search"}, {name: "sort", rule: "member_sort"}, {name: "cursor", rule: "cursor"},
		{name: "limit", rule: "members_limit"}}
	asOfParams    = []param{{name: "as_of", rule: "time"}}
	historyParams = []param{{name: "from", rule: "time"}, {name: "to", rule: "time"}, {name: "kind", rule: "event_kind"},
		{name: "cursor", rule: "cursor"}, {name: "limit", rule: "history_limit"}}
	licenseParams  = []param{{name: "from", rule: "time"}, {name: "to", rule: "time"}}
	checkParams    = []param{{name: "account", rule: "uuid", required: true}, {name: "action", rule: "action", required: true}}
	activityParams = []param{{name: "from", rule: "time"}, {name: "to", rule: "time"}, {name: "actor", rule: "actor"},
		{name: "member", rule: "uuid"}, {name: "kind", rule: "event_kind"}, {name: "order", rule: "order"},
		{name: "cursor", rule: "cursor"}, {name: "limit", rule: "activity_limit"}}
	streamParams = []param{{name: "from_version", rule: "from_version"}, {name: "limit", rule: "events_limit"}}
	logParams    = []param{{name: "after", rule: "position"}, {name: "limit", rule: "events_limit"}}
)

// pathRules name the rules of the path variables that are not UUIDs (pathID parses
// those).
var pathRules = map[string]string{"module": "module", "scope": "scope", "group": "scope", "stream": "stream", "name": "projection"}

// pathVar answers path variable name of r, checked against its rule.
func pathVar(r *nethttp.Request, name string) (string, error) {
	v := mux.Vars(r)[name]
	if problem := ruleNamed(pathRules[name]).check(v); problem != "" {
		return "", badField(name, "%s", problem)
	}
	return v, nil
}
