package main

import (
	nethttp "net/http"
	"strconv"
	"testing"
)

// hotPath drives the served API of TestHotPathPlans through every command route, as the
// admin UI and the invitees would, on the big workspace of the seeding.
type hotPath struct {
	t                *testing.T
	w                planWorld
	platform, owner  *apiClient
	base             string
	fresh            int        // people invited so far, for fresh emails
	newcomer         *apiClient // a member who joined by accepting an invitation
	newcomerID       string
	settle           func() // waits until the projections have applied the log
	project          string // defined by the workload, not retired
	category, client string
}

// Statuses the workload expects.
const (
	planOK      = nethttp.StatusOK
	planCreated = nethttp.StatusCreated
)

// planWorkloadMembers are the last members of the big workspace, which the workload acts
// on: seeded with nothing but their membership and security settings.
const planWorkloadMembers = 20

// member answers the id of the i-th seeded member without grants (i < planWorkloadMembers):
// each command of the workload acts on a member of its own.
func (h *hotPath) member(i int) string {
	return h.w.members[len(h.w.members)-1-i].String()
}

// granted answers the id of the i-th seeded member with grants.
func (h *hotPath) granted(i int) string { return h.w.members[i].String() }

// commands runs every command route at least once.
func (h *hotPath) commands() {
	h.catalog()
	h.settings()
	h.invitations()
	h.accessRequests()
	h.lifecycle()
	h.grants()
	h.accounts()
}

// do sends a command as c, as c.call does, and waits until the projections have
// applied it: each event then makes a batch of its own, as live, and no batch folds a
// grant and its revocation into nothing.
func (h *hotPath) do(c *apiClient, method, path string, body any, want int, out any, headers ...string) *nethttp.Response {
	h.t.Helper()
	resp, _ := c.call(method, path, body, want, out, headers...)
	h.settle()
	return resp
}

// define defines a catalog item and answers its id; the projections apply it later.
func (h *hotPath) define(path, name string) string {
	var item struct{ ID string }
	h.owner.call("POST", h.base+"/"+path, map[string]string{"name": name}, planCreated, &item)
	return item.ID
}

// catalog defines and retires an item of each kind of the catalog, and keeps one of each.
// Each change of a workspace's catalog or settings costs the access projection a pass
// over the workspace's members: the independent ones are applied together.
func (h *hotPath) catalog() {
	kinds := []string{"projects", "booking/categories", "booking/visas", "clients"}
	retired := make([]string, len(kinds))
	for i, path := range kinds {
		retired[i] = h.define(path, "Retired "+path)
	}
	h.project = h.define("projects", "Atlas")
	h.category = h.define("booking/categories", "Microscopes")
	h.client = h.define("clients", "Acme")
	h.settle()
	for i, path := range kinds {
		h.owner.call("DELETE", h.base+"/"+path+"/"+retired[i], nil, planOK, nil)
	}
	h.settle()
}

// settings changes the workspace's name, plan and modules.
func (h *hotPath) settings() {
	h.owner.call("PATCH", h.base, map[string]string{"name": "Load (renamed)"}, planOK, nil)
	h.owner.call("PUT", h.base+"/plan", map[string]int{"seats": len(h.w.members) + 1000}, planOK, nil)
	h.owner.call("PUT", h.base+"/modules/reports", map[string]any{"enabled": true, "min_role": "manager"}, planOK, nil)
	// A retry with the same key answers the first result.
	for range 2 {
		h.owner.call("PUT", h.base+"/modules/booking", map[string]any{"enabled": true, "min_role": "viewer"}, planOK, nil,
			"Idempotency-Key", "plans-booking-module")
	}
	h.settle()
}

// person answers the body of an invitation of a fresh person.
func (h *hotPath) person(role string) map[string]any {
	h.fresh++
	n := strconv.Itoa(h.fresh)
	return map[string]any{"email": "fresh" + n + "@plans.example", "first_name": "Fresh", "last_name": "Person" + n, "role": role}
}

// invitations invites a person who accepts, and resends and revokes other invitations;
// each gives a project role.
func (h *hotPath) invitations() {
	body := h.person("member")
	body["projects"] = []map[string]string{{"project_id": h.project, "role": "viewer"}}
	h.newcomerID, h.newcomer = inviteAndAccept(h.owner, h.base, body)
	h.settle()
	// The revoked invitation gave a project role: revoking it clears the grants.
	for _, then := range []struct{ method, suffix string }{{"POST", "/resend"}, {"DELETE", ""}} {
		var inv invitee
		body := h.person("viewer")
		body["projects"] = []map[string]string{{"project_id": h.project, "role": "viewer"}}
		h.do(h.owner, "POST", h.base+"/invitations", body, planCreated, &inv)
		h.do(h.owner, then.method, h.base+"/invitations/"+inv.AccountID+then.suffix, nil, planOK, nil)
	}
}

// accessRequests has the owners of new workspaces ask to join the big one: one is
// approved, one rejected; one joins by invitation of its existing account and becomes
// the owner of the new workspace of another.
func (h *hotPath) accessRequests() {
	for i, decision := range []struct {
		path string
		body any
	}{{"/approve", map[string]string{"role": "member"}}, {"/reject", nil}} {
		_, asker, askerID := newWorkspace(h.platform, "Asker "+strconv.Itoa(i), 5, "asker"+strconv.Itoa(i)+"@plans.example")
		h.settle()
		h.do(asker, "POST", h.base+"/access-requests", nil, planCreated, nil)
		h.owner.consistency = asker.consistency
		h.do(h.owner, "POST", h.base+"/access-requests/"+askerID+decision.path, decision.body, planOK, nil)
	}
	other, otherOwner, _ := newWorkspace(h.platform, "Other", 5, "other@plans.example")
	h.settle()
	joined, _ := inviteAndAccept(otherOwner, other, map[string]any{"email": "asker0@plans.example", "role": "admin"})
	h.settle()
	h.do(otherOwner, "POST", other+"/ownership", map[string]string{"account_id": joined}, planOK, nil)
	h.owner.consistency = otherOwner.consistency
}

// lifecycle moves seeded members through every roster command.
func (h *hotPath) lifecycle() {
	steps := []struct {
		method, suffix string
		body           any
	}{
		{"PUT", "/role", map[string]string{"role": "viewer"}},
		{"POST", "/license/deactivate", nil},
		{"POST", "/license/reactivate", nil},
		{"POST", "/suspend", map[string]string{"reason": "badge lost", "until": "2099-01-01T00:00:00Z"}},
		{"POST", "/reinstate", nil},
		{"DELETE", "", map[string]string{"reason": "left"}},
		{"POST", "/restore", nil},
		{"POST", "/welcome-email", nil},
	}
	for _, s := range steps {
		h.do(h.owner, s.method, h.base+"/members/"+h.member(0)+s.suffix, s.body, planOK, nil)
	}
	// A command that names the version it read: If-Match.
	resp := h.do(h.owner, "PUT", h.base+"/members/"+h.member(1)+"/role", map[string]string{"role": "manager"}, planOK, nil)
	h.do(h.owner, "PUT", h.base+"/members/"+h.member(1)+"/role", map[string]string{"role": "auditor"}, planOK, nil,
		"If-Match", resp.Header.Get("ETag"))
}

// grants gives and takes every kind of grant, on a member without grants and on one
// with many.
func (h *hotPath) grants() {
	m := h.base + "/members/" + h.member(2)
	steps := []struct {
		method, suffix string
		body           any
	}{
		{"PUT", "/projects/" + h.project, map[string]string{"role": "contributor"}},
		{"PUT", "/visas/" + h.category, map[string]string{"visa_id": h.w.visa.String(), "valid_until": "2099-01-01T00:00:00Z"}},
		{"PUT", "/clients/" + h.client, nil},
		{"PUT", "/permissions", map[string]any{"grant": []string{"reports.export"}, "deny": []string{"invoices.pay"}}},
		{"PUT", "/scopes/company:acme", map[string]string{"level": "read"}},
		{"PUT", "/security", map[string]any{"mfa_every_login": true, "password_max_age_days": 90}},
		{"PUT", "/contract", map[string]string{"reference": "C-1", "convention": "standard", "ends_on": "2099-12-31"}},
	}
	for _, s := range steps {
		h.do(h.owner, s.method, m+s.suffix, s.body, planOK, nil)
	}
	h.do(h.owner, "POST", h.base+"/members/"+h.member(3)+"/copy-permissions", map[string]string{"from_account_id": h.member(2)}, planOK, nil)
	for _, suffix := range []string{"/projects/" + h.project, "/visas/" + h.category, "/clients/" + h.client} {
		h.do(h.owner, "DELETE", m+suffix, nil, planOK, nil)
	}
	g := h.base + "/members/" + h.granted(0)
	for _, suffix := range []string{"/projects/" + h.w.projects[0].String(), "/visas/" + h.w.categories[0].String(), "/clients/" + h.w.clients[0].String()} {
		h.do(h.owner, "DELETE", g+suffix, nil, planOK, nil)
	}
}

// accounts edits a seeded member's profile, and has the newcomer list its tokens and
// revoke the one it uses.
func (h *hotPath) accounts() {
	h.do(h.owner, "PATCH", "/v1/accounts/"+h.member(4), map[string]string{"phone": "+41446681800"}, planOK, nil)
	var tokens struct{ Items []struct{ ID string } }
	h.newcomer.call("GET", "/v1/accounts/"+h.newcomerID+"/tokens", nil, planOK, &tokens)
	h.do(h.newcomer, "DELETE", "/v1/accounts/"+h.newcomerID+"/tokens/"+tokens.Items[0].ID, nil, planOK, nil)
	h.owner.consistency = h.newcomer.consistency
}
