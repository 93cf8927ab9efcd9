package main

import (
	nethttp "net/http"
	"regexp"
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// trimIDs shortens a path for a test name: the workspace and the ids in it become
// placeholders.
func trimIDs(f *roleFixture, path string) string {
	path, _, _ = strings.Cut(strings.TrimPrefix(path, f.base), "?")
	return uuidPattern.ReplaceAllString(path, "{id}")
}

// grantCases are the routes on a member's grants and the account, audit and operator
// routes; the ownership transfer comes last, as it changes who the owner is.
func grantCases() []roleCase {
	ok := nethttp.StatusOK
	return []roleCase{
		{method: "PUT", path: func(f *roleFixture) string { return f.base + "/members/" + f.member() + "/projects/" + f.project },
			body: map[string]string{"role": "contributor"}, ok: ok, who: admins},
		{method: "DELETE", path: func(f *roleFixture) string {
			id := f.memberThen("PUT", "/projects/"+f.project, map[string]string{"role": "viewer"})
			return f.base + "/members/" + id + "/projects/" + f.project
		}, ok: ok, who: admins},
		{method: "PUT", path: func(f *roleFixture) string { return f.base + "/members/" + f.member() + "/visas/" + f.category },
			body: func(f *roleFixture) any { return map[string]string{"visa_id": f.visa} }, ok: ok, who: admins},
		{method: "DELETE", path: func(f *roleFixture) string {
			id := f.memberThen("PUT", "/visas/"+f.category, map[string]string{"visa_id": f.visa})
			return f.base + "/members/" + id + "/visas/" + f.category
		}, ok: ok, who: admins},
		{method: "PUT", path: func(f *roleFixture) string { return f.base + "/members/" + f.member() + "/clients/" + f.client }, ok: ok, who: admins},
		{method: "DELETE", path: func(f *roleFixture) string {
			id := f.memberThen("PUT", "/clients/"+f.client, nil)
			return f.base + "/members/" + id + "/clients/" + f.client
		}, ok: ok, who: admins},
		{method: "PUT", path: onTarget("/permissions", nil), body: map[string]any{"grant": []string{"reports.export"}}, ok: ok, who: admins},
		{method: "PUT", path: onTarget("/scopes/company:acme", nil), body: map[string]string{"level": "read"}, ok: ok, who: admins},
		{method: "POST", path: onTarget("/copy-permissions", nil), ok: ok, who: admins,
			body: func(f *roleFixture) any { return map[string]string{"from_account_id": f.ids["member"]} }},
		{method: "PUT", path: onTarget("/security", nil), body: map[string]any{"mfa_every_login": true}, ok: ok, who: admins},
		{method: "PUT", path: onTarget("/contract", nil), body: map[string]string{"reference": "C-1", "convention": "standard"}, ok: ok, who: admins},
		{method: "GET", path: func(f *roleFixture) string { return "/v1/accounts/" + f.member() }, ok: ok, who: admins,
			other: map[string]int{"manager": 404, "member": 404, "viewer": 404, "auditor": 404}},
		{method: "PATCH", path: func(f *roleFixture) string { return "/v1/accounts/" + f.member() }, body: map[string]string{"phone": "+41446681800"},
			ok: ok, who: admins, other: map[string]int{"manager": 404, "member": 404, "viewer": 404, "auditor": 404}},
		{method: "GET", path: func(f *roleFixture) string { return "/v1/accounts/" + f.member() + "/tokens" }, ok: ok, who: []string{"platform"},
			other: map[string]int{"owner": 404, "admin": 404, "manager": 404, "member": 404, "viewer": 404, "auditor": 404}},
		{method: "DELETE", path: func(f *roleFixture) string {
			account := f.member()
			var tokens struct{ Items []struct{ ID string } }
			f.platform.call("GET", "/v1/accounts/"+account+"/tokens", nil, ok, &tokens)
			return "/v1/accounts/" + account + "/tokens/" + tokens.Items[0].ID
		}, ok: ok, who: []string{"platform"}, other: map[string]int{"owner": 404, "admin": 404, "manager": 404, "member": 404, "viewer": 404, "auditor": 404}},
		{method: "GET", path: func(f *roleFixture) string {
			return "/v1/streams/workspace-" + strings.TrimPrefix(f.base, "/v1/workspaces/") + "/events"
		},
			ok: ok, who: auditors},
		{method: "GET", path: func(*roleFixture) string { return "/v1/events" }, ok: ok, who: []string{"platform"}, other: map[string]int{"outsider": 403}},
		{method: "GET", path: func(*roleFixture) string { return "/v1/projections" }, ok: ok, who: []string{"platform"}, other: map[string]int{"outsider": 403}},
		{method: "POST", path: func(*roleFixture) string { return "/v1/projections/clients/rebuild" }, ok: nethttp.StatusAccepted,
			who: []string{"platform"}, other: map[string]int{"outsider": 403}},
		// The outsider asks to join: it is pending from then on, and no longer an outsider.
		{method: "POST", path: at("/access-requests"), ok: nethttp.StatusCreated, who: []string{"outsider", "platform"},
			other: map[string]int{"owner": 409, "admin": 409, "manager": 409, "member": 409, "viewer": 409, "auditor": 409}},
		{method: "POST", path: at("/ownership"), ok: ok, who: []string{"owner", "platform"}, other: map[string]int{"outsider": 403},
			body: func(f *roleFixture) any { return map[string]string{"account_id": f.admin()} }},
	}
}
