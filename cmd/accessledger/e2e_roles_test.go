package main

import (
	nethttp "net/http"
	"slices"
	"testing"
)

// roleCase is one route of the API, asked by every role. path prepares what the call
// needs (a fresh target member, say) and answers the path; allowed roles get ok, the
// others 401 (no token), 404 (another workspace's) or 403, unless other says otherwise.
type roleCase struct {
	method string
	path   func(f *roleFixture) string
	body   any
	ok     int
	who    []string
	other  map[string]int
}

var (
	admins   = []string{"owner", "admin", "platform"}
	readers  = []string{"owner", "admin", "manager", "auditor", "platform"}
	auditors = []string{"owner", "admin", "auditor", "platform"}
	everyone = []string{"owner", "admin", "manager", "member", "viewer", "auditor", "platform"}
)

func at(path string) func(f *roleFixture) string {
	return func(f *roleFixture) string { return f.base + path }
}

// onTarget answers the path of suffix on a fresh member, prepared by prepare (nil: none).
func onTarget(suffix string, prepare func(f *roleFixture) string) func(f *roleFixture) string {
	return func(f *roleFixture) string {
		if prepare == nil {
			prepare = (*roleFixture).member
		}
		return f.base + "/members/" + prepare(f) + suffix
	}
}

func roleCases() []roleCase {
	ok, created := nethttp.StatusOK, nethttp.StatusCreated
	return []roleCase{
		{method: "POST", path: func(*roleFixture) string { return "/v1/workspaces" }, ok: created, who: []string{"platform"},
			body:  map[string]any{"name": "New", "seats": 3, "owner": map[string]string{"email": "new@roles.example", "first_name": "N", "last_name": "Ew"}},
			other: map[string]int{"outsider": 403}},
		// Public: a token that matches no invitation is not found, whoever sends it.
		{method: "POST", path: func(*roleFixture) string { return "/v1/invitations/accept" }, body: map[string]string{"token": "alinv_nothing"},
			ok: nethttp.StatusNotFound, who: roles},
		{method: "GET", path: func(*roleFixture) string { return "/v1/openapi.json" }, ok: ok, who: roles},
		{method: "GET", path: at(""), ok: ok, who: everyone},
		{method: "PATCH", path: at(""), body: map[string]string{"name": "Roles"}, ok: ok, who: admins},
		{method: "PUT", path: at("/plan"), body: map[string]int{"seats": 500}, ok: ok, who: []string{"owner", "platform"}},
		{method: "PUT", path: at("/modules/reports"), body: map[string]any{"enabled": true, "min_role": "manager"}, ok: ok, who: admins},
		{method: "POST", path: at("/projects"), body: map[string]string{"name": "P"}, ok: created, who: admins},
		{method: "DELETE", path: func(f *roleFixture) string { return f.base + "/projects/" + f.define("projects", "Old") }, ok: ok, who: admins},
		{method: "POST", path: at("/booking/categories"), body: map[string]string{"name": "C"}, ok: created, who: admins},
		{method: "DELETE", path: func(f *roleFixture) string {
			return f.base + "/booking/categories/" + f.define("booking/categories", "Old")
		}, ok: ok, who: admins},
		{method: "POST", path: at("/booking/visas"), body: map[string]string{"name": "V"}, ok: created, who: admins},
		{method: "DELETE", path: func(f *roleFixture) string { return f.base + "/booking/visas/" + f.define("booking/visas", "Old") }, ok: ok, who: admins},
		{method: "POST", path: at("/clients"), body: map[string]string{"name": "K"}, ok: created, who: admins},
		{method: "DELETE", path: func(f *roleFixture) string { return f.base + "/clients/" + f.define("clients", "Old") }, ok: ok, who: admins},
		{method: "POST", path: func(f *roleFixture) string { f.invites++; return f.base + "/invitations" }, ok: created, who: admins,
			body: map[string]any{"first_name": "N", "last_name": "Ew", "role": "member"}},
		{method: "POST", path: func(f *roleFixture) string { return f.base + "/invitations/" + f.invited() + "/resend" }, ok: ok, who: admins},
		{method: "DELETE", path: func(f *roleFixture) string { return f.base + "/invitations/" + f.invited() }, ok: ok, who: admins},
		{method: "POST", path: func(f *roleFixture) string { return f.base + "/access-requests/" + f.requester() + "/approve" }, body: map[string]string{"role": "member"}, ok: ok, who: admins},
		{method: "POST", path: func(f *roleFixture) string { return f.base + "/access-requests/" + f.requester() + "/reject" }, ok: ok, who: admins},
		{method: "GET", path: at("/members"), ok: ok, who: auditors},            // the users module is for admins
		{method: "GET", path: onTarget("", nil), ok: ok, who: auditors},         // the users module is for admins
		{method: "GET", path: onTarget("/history", nil), ok: ok, who: auditors}, // the users module is for admins
		{method: "GET", path: at("/licenses"), ok: ok, who: auditors},
		{method: "GET", path: func(f *roleFixture) string { return f.base + "/booking/categories/" + f.category + "/authorized" }, ok: ok, who: readers},
		{method: "GET", path: func(f *roleFixture) string { return f.base + "/access/check?action=login&account=" + f.member() }, ok: ok, who: readers},
		{method: "GET", path: at("/history"), ok: ok, who: auditors},
		{method: "PUT", path: onTarget("/role", nil), body: map[string]string{"role": "viewer"}, ok: ok, who: admins},
		{method: "POST", path: onTarget("/license/deactivate", nil), ok: ok, who: admins},
		{method: "POST", path: onTarget("/license/reactivate", func(f *roleFixture) string { return f.memberThen("POST", "/license/deactivate", nil) }), ok: ok, who: admins},
		{method: "POST", path: onTarget("/suspend", nil), body: map[string]string{"reason": "r"}, ok: ok, who: admins},
		{method: "POST", path: onTarget("/reinstate", func(f *roleFixture) string { return f.memberThen("POST", "/suspend", map[string]string{"reason": "r"}) }), ok: ok, who: admins},
		{method: "DELETE", path: onTarget("", nil), ok: ok, who: admins},
		{method: "POST", path: onTarget("/restore", func(f *roleFixture) string { return f.memberThen("DELETE", "", nil) }), ok: ok, who: admins},
		{method: "POST", path: onTarget("/welcome-email", nil), ok: ok, who: admins},
	}
}

// TestEveryRouteForEveryRole asks every route as every role and checks the status.
func TestEveryRouteForEveryRole(t *testing.T) {
	f := newRoleFixture(t)
	for _, c := range slices.Concat(roleCases(), spendCases(), grantCases(), workspaceLifecycleCases()) {
		for _, role := range roles {
			want := c.ok
			switch {
			case c.other[role] != 0:
				want = c.other[role]
			case slices.Contains(c.who, role):
			case role == "anonymous":
				want = nethttp.StatusUnauthorized
			case role == "outsider":
				want = nethttp.StatusNotFound
			default:
				want = nethttp.StatusForbidden
			}
			path := c.path(f)
			body := c.body
			if build, ok := body.(func(*roleFixture) any); ok {
				body = build(f)
			}
			if c.method == "POST" && path == f.base+"/invitations" {
				body = map[string]any{"email": "new" + itoa(f.invites) + role + "@roles.example", "first_name": "N", "last_name": "Ew", "role": "member"}
			}
			t.Run(c.method+" "+trimIDs(f, path)+" as "+role, func(t *testing.T) {
				client := *f.clients[role]
				client.t = t
				// Queries read what the fixture's last command wrote.
				client.consistency = f.owner.consistency
				client.call(c.method, path, body, want, nil)
			})
		}
	}
	// Every answer was checked against the OpenAPI document: make sure that happened,
	// for (nearly) every operation, and that a wrong answer would have been caught.
	for _, op := range f.platform.answers.operations() {
		if !f.platform.answers.checked[op] {
			t.Errorf("no answer of %s was checked against the OpenAPI document: the table misses it", op)
		}
	}
	bogus := []byte(`{"account_id": "not-a-uuid", "status": 3}`)
	if err := f.platform.answers.validate("GET", f.base+"/members/"+f.ids["member"], 200, "application/json", bogus); err == nil {
		t.Error("a member detail that is not one fits the OpenAPI document")
	}
}
