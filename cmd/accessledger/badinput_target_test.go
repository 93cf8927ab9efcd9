package main

import (
	"strings"
)

// badInputTarget is what one operation's requests are about: who sends them, the path
// variables and the body fields that must name fixture state for the request to be
// valid. A target is in a state where the operation's valid request succeeds.
type badInputTarget struct {
	caller *apiClient
	vars   map[string]string // path variables
	query  map[string]string // query parameters a valid request needs, when the operation takes them
	hints  map[string]any    // body fields, by path in the body
}

// badInputPrep is the command that puts a new member in the state an operation needs:
// suspended before a reinstatement, on a project before a removal…
type badInputPrep struct {
	method, suffix string // suffix: after the member's path, with {vars} substituted
	body           func(f *badInputFixture) any
}

// badInputNoBody is the body of a prep that sends none.
func badInputNoBody(*badInputFixture) any { return nil }

// badInputPreps are the preps of the operations that need one, by operation.
var badInputPreps = map[string]badInputPrep{
	"POST /v1/workspaces/{ws}/members/{account}/reinstate": {"POST", "/suspend",
		func(*badInputFixture) any { return map[string]any{"reason": "prepare"} }},
	"POST /v1/workspaces/{ws}/members/{account}/restore":            {"DELETE", "", badInputNoBody},
	"POST /v1/workspaces/{ws}/members/{account}/license/reactivate": {"POST", "/license/deactivate", badInputNoBody},
	"DELETE /v1/workspaces/{ws}/members/{account}/projects/{project}": {"PUT", "/projects/{project}",
		func(*badInputFixture) any { return map[string]any{"role": "contributor"} }},
	"DELETE /v1/workspaces/{ws}/members/{account}/visas/{category}": {"PUT", "/visas/{category}",
		func(f *badInputFixture) any { return map[string]any{"visa_id": f.visa} }},
	"DELETE /v1/workspaces/{ws}/members/{account}/clients/{client}": {"PUT", "/clients/{client}", badInputNoBody},
}

// badInputPlatformOps are sent by the platform admin: nobody else may.
var badInputPlatformOps = []string{"/v1/events", "/v1/projections", "/v1/accounts/{account}/tokens"}

// target prepares a new target for op, through the API.
func (f *badInputFixture) target(op badInputOp) badInputTarget {
	f.platform.t.Helper()
	tg := badInputTarget{caller: f.owner, hints: map[string]any{}, query: map[string]string{"account": f.member, "action": "login"}, vars: map[string]string{
		"ws": f.ws, "account": f.member, "project": f.project, "category": f.category, "client": f.client,
		"stream": "workspace-" + f.ws, "name": "members", "module": "booking", "scope": "company:acme",
	}}
	for _, prefix := range badInputPlatformOps {
		if strings.HasPrefix(op.path, prefix) {
			tg.caller = f.platform
		}
	}
	if op.method == "GET" {
		return tg // queries change nothing: the shared fixture serves them all
	}
	switch {
	case op.path == "/v1/workspaces":
		tg.caller = f.platform
	case op.path == "/v1/invitations/accept":
		_, tg.hints["token"] = f.newInvitee()
		tg.caller = f.platform.as("")
	case op.path == "/v1/workspaces/{ws}" || op.path == "/v1/workspaces/{ws}/plan" ||
		op.path == "/v1/workspaces/{ws}/ownership" || op.path == "/v1/workspaces/{ws}/modules/{module}":
		// A workspace of its own: a rename, a plan or an owner changed must not change
		// what the other operations' requests find.
		base, owner, _ := f.newOutsider()
		tg.vars["ws"] = strings.TrimPrefix(base, "/v1/workspaces/")
		tg.hints["account_id"], _ = inviteAndAccept(owner, base, f.person("admin"))
		tg.caller = owner
	case strings.HasPrefix(op.path, "/v1/workspaces/{ws}/spend-scopes/"):
		f.spendTarget(&tg, op.path)
	case op.path == "/v1/workspaces/{ws}/restore":
		// A deleted workspace of its own: the one state in which a restore succeeds.
		base, owner, _ := f.newOutsider()
		owner.call("DELETE", base, map[string]string{"reason": "prepare"}, 200, nil)
		tg.vars["ws"] = strings.TrimPrefix(base, "/v1/workspaces/")
		tg.caller = owner
	case op.path == "/v1/workspaces/{ws}/access-requests":
		_, tg.caller, _ = f.newOutsider()
	case strings.HasPrefix(op.path, "/v1/workspaces/{ws}/access-requests/{account}/"):
		tg.vars["account"] = f.newRequester()
	case strings.HasPrefix(op.path, "/v1/workspaces/{ws}/invitations/{account}"):
		tg.vars["account"], _ = f.newInvitee()
	case strings.HasSuffix(op.path, "/{id}") && !strings.Contains(op.path, "/members/") && strings.HasPrefix(op.path, "/v1/workspaces/"):
		tg.vars["id"] = f.define(strings.TrimSuffix(strings.TrimPrefix(op.path, "/v1/workspaces/{ws}/"), "/{id}"))
	case strings.HasPrefix(op.path, "/v1/workspaces/{ws}/members/{account}"):
		tg.vars["account"], _ = f.newMember()
		f.prepare(op, tg)
	case op.path == "/v1/accounts/{account}":
		// The owner of a small workspace of its own, changing its own profile: an
		// account's change reads the workspaces it belongs to, and the shared one grows.
		_, tg.caller, tg.vars["account"] = f.newOutsider()
	case op.path == "/v1/accounts/{account}/tokens/{id}":
		tg.vars["account"], _ = f.newMember()
		tg.vars["id"] = f.tokenOf(tg.vars["account"])
	}
	if strings.HasSuffix(op.path, "/projects/{project}") {
		tg.hints["role"] = "contributor" // a project role, not a workspace one
	}
	return tg
}

// prepare sends the command that op's new member needs first, if any.
func (f *badInputFixture) prepare(op badInputOp, tg badInputTarget) {
	prep, ok := badInputPreps[op.String()]
	if !ok {
		return
	}
	path := badInputExpand("/v1/workspaces/{ws}/members/{account}"+prep.suffix, tg.vars)
	resp, data := f.owner.try(prep.method, path, prep.body(f))
	if resp.StatusCode/100 != 2 {
		f.owner.t.Fatalf("prepare %s: %s %s: %d %s", op, prep.method, path, resp.StatusCode, data)
	}
}

// badInputExpand substitutes vars into a path template.
func badInputExpand(template string, vars map[string]string) string {
	for name, v := range vars {
		template = strings.ReplaceAll(template, "{"+name+"}", v)
	}
	return template
}
