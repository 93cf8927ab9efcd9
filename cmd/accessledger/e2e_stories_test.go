package main

import (
	"encoding/csv"
	nethttp "net/http"
	"strings"
	"testing"
)

// newWorkspace creates a workspace through platform and answers its path and a client
// of its owner, with the owner's account id.
func newWorkspace(platform *apiClient, name string, seats int, ownerEmail string) (base string, owner *apiClient, ownerID string) {
	platform.t.Helper()
	var ws struct {
		WorkspaceID    string `json:"workspace_id"`
		OwnerAccountID string `json:"owner_account_id"`
		OwnerToken     string `json:"owner_token"`
	}
	platform.call("POST", "/v1/workspaces", map[string]any{"name": name, "seats": seats,
		"owner": map[string]string{"email": ownerEmail, "first_name": "Owner", "last_name": "Of " + name}}, nethttp.StatusCreated, &ws)
	return "/v1/workspaces/" + ws.WorkspaceID, platform.as(ws.OwnerToken), ws.OwnerAccountID
}

// allowed answers the access check of account for action, read by c.
func allowed(c *apiClient, base, account, action string) bool {
	c.t.Helper()
	var d struct{ Allowed bool }
	c.call("GET", base+"/access/check?account="+account+"&action="+action, nil, nethttp.StatusOK, &d)
	return d.Allowed
}

// TestStoryProcurementPortal: a user with security settings and permission overrides; a
// second user copies them; deleted and restored within 30 days with every grant back; a
// deactivated user cannot be edited.
func TestStoryProcurementPortal(t *testing.T) { forEachBackend(t, storyProcurementPortal) }

func storyProcurementPortal(t *testing.T, platform *apiClient) {
	base, owner, _ := newWorkspace(platform, "Procure", 10, "cpo@procure.example")
	buyer, _ := inviteAndAccept(owner, base, map[string]any{"email": "buyer@procure.example", "first_name": "Grace",
		"last_name": "Hopper", "role": "member"})
	owner.call("PUT", base+"/members/"+buyer+"/security", map[string]any{"mfa_every_login": true, "password_max_age_days": 90}, nethttp.StatusOK, nil)
	owner.call("PUT", base+"/members/"+buyer+"/permissions", map[string]any{"grant": []string{"orders.approve"}, "deny": []string{"invoices.pay"}}, nethttp.StatusOK, nil)

	clerk, _ := inviteAndAccept(owner, base, map[string]any{"email": "clerk@procure.example", "first_name": "Alan",
		"last_name": "Turing", "role": "member"})
	owner.call("POST", base+"/members/"+clerk+"/copy-permissions", map[string]string{"from_account_id": buyer}, nethttp.StatusOK, nil)
	if !allowed(owner, base, clerk, "feature:orders.approve") || allowed(owner, base, clerk, "feature:invoices.pay") {
		t.Fatal("the copied overrides do not hold for the clerk")
	}

	owner.call("DELETE", base+"/members/"+clerk, map[string]string{"reason": "left by mistake"}, nethttp.StatusOK, nil)
	if allowed(owner, base, clerk, "feature:orders.approve") {
		t.Fatal("a deleted member is still allowed")
	}
	owner.call("POST", base+"/members/"+clerk+"/restore", nil, nethttp.StatusOK, nil)
	if !allowed(owner, base, clerk, "feature:orders.approve") || allowed(owner, base, clerk, "feature:invoices.pay") {
		t.Fatal("the restored member did not get every grant back")
	}
	var detail struct{ Status string }
	owner.call("GET", base+"/members/"+clerk, nil, nethttp.StatusOK, &detail)
	if detail.Status != "active" {
		t.Fatalf("restored member: status %q, want active", detail.Status)
	}

	owner.call("POST", base+"/members/"+buyer+"/license/deactivate", nil, nethttp.StatusOK, nil)
	_, data := owner.call("PUT", base+"/members/"+buyer+"/permissions", map[string]any{"grant": []string{"orders.create"}}, nethttp.StatusConflict, nil)
	if code := problemCode(t, data); code != "member_frozen" {
		t.Fatalf("editing a deactivated member: %s, want member_frozen", code)
	}
}

// TestStoryAssetManager: the owner cannot be removed or demoted, a viewer cannot change
// anything, a suspended member is denied login, and the activity log exports as CSV.
func TestStoryAssetManager(t *testing.T) { forEachBackend(t, storyAssetManager) }

func storyAssetManager(t *testing.T, platform *apiClient) {
	base, owner, ownerID := newWorkspace(platform, "Assets", 10, "boss@assets.example")
	admin, adminClient := inviteAndAccept(owner, base, map[string]any{"email": "it@assets.example", "first_name": "Ken",
		"last_name": "Thompson", "role": "admin"})
	_ = admin
	for _, c := range []struct{ method, path string }{{"DELETE", "/members/" + ownerID}, {"POST", "/members/" + ownerID + "/license/deactivate"}} {
		_, data := adminClient.call(c.method, base+c.path, nil, nethttp.StatusConflict, nil)
		if code := problemCode(t, data); code != "owner_protected" {
			t.Errorf("%s %s: %s, want owner_protected", c.method, c.path, code)
		}
	}
	_, data := adminClient.call("PUT", base+"/members/"+ownerID+"/role", map[string]string{"role": "admin"}, nethttp.StatusConflict, nil)
	if code := problemCode(t, data); code != "owner_protected" {
		t.Errorf("demoting the owner: %s, want owner_protected", code)
	}

	viewerID, viewer := inviteAndAccept(owner, base, map[string]any{"email": "look@assets.example", "first_name": "Dennis",
		"last_name": "Ritchie", "role": "viewer"})
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", "", map[string]string{"name": "Mine"}},
		{"PUT", "/members/" + admin + "/role", map[string]string{"role": "viewer"}},
		{"POST", "/invitations", map[string]any{"email": "x@assets.example", "first_name": "X", "last_name": "Y", "role": "member"}},
		{"POST", "/projects", map[string]string{"name": "Rack 7"}},
	} {
		viewer.call(c.method, base+c.path, c.body, nethttp.StatusForbidden, nil)
	}

	if !allowed(owner, base, viewerID, "login") {
		t.Fatal("an active viewer may not log in")
	}
	owner.call("POST", base+"/members/"+viewerID+"/suspend", map[string]string{"reason": "badge lost"}, nethttp.StatusOK, nil)
	if allowed(owner, base, viewerID, "login") {
		t.Fatal("a suspended member may log in")
	}

	resp, body := owner.call("GET", base+"/history?order=oldest", nil, nethttp.StatusOK, nil, "Accept", "text/csv")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("export Content-Type %q", ct)
	}
	records, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v\n%s", err, body)
	}
	if len(records) < 5 || records[0][0] != "position" {
		t.Fatalf("export: %d records, header %v", len(records), records[0])
	}
	last := records[len(records)-1]
	if !strings.Contains(strings.Join(last, ","), "badge lost") {
		t.Errorf("the last exported entry is not the suspension: %v", last)
	}

	// The refusals and the requests are counted by route, for operators.
	_, metrics := owner.as("").call("GET", "/metrics", nil, nethttp.StatusOK, nil)
	for _, want := range []string{
		`accessledger_commands_total{method="DELETE",outcome="owner_protected",route="/v1/workspaces/{ws}/members/{account}"} 1`,
		`accessledger_commands_total{method="POST",outcome="ok",route="/v1/workspaces/{ws}/members/{account}/suspend"} 1`,
		`accessledger_http_requests_total{method="PATCH",route="/v1/workspaces/{ws}",status="403"} 1`,
		`accessledger_http_request_duration_seconds_count{method="GET",route="/v1/workspaces/{ws}/access/check"}`,
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
