package main

import (
	nethttp "net/http"
	"strings"
	"testing"
)

// workspaceView is the part of GET /v1/workspaces/{ws} these rules compare.
type workspaceView struct {
	Name      string `json:"name"`
	Seats     int    `json:"seats"`
	SeatsUsed int    `json:"seats_used"`
}

// TestRuleOwnerDeletesAndRestoresTheWorkspace: only the owner deletes the workspace, with
// a reason; at once every member's token stops working there (queries and commands
// answer 404) while auditors and platform admins still read its history; the owner
// restores it, and the plan, the seats in use and the members come back unchanged.
func TestRuleOwnerDeletesAndRestoresTheWorkspace(t *testing.T) {
	f := newRoleFixture(t)
	var before workspaceView
	f.owner.call("GET", f.base, nil, nethttp.StatusOK, &before)
	_, membersBefore := f.owner.call("GET", f.base+"/members", nil, nethttp.StatusOK, nil)

	f.clients["admin"].call("DELETE", f.base, map[string]string{"reason": "closing"}, nethttp.StatusForbidden, nil)
	_, body := f.owner.call("DELETE", f.base, nil, nethttp.StatusBadRequest, nil)
	if code := problemCode(t, body); code != "validation_failed" {
		t.Errorf("a deletion without a reason answers %s, want validation_failed", code)
	}
	f.owner.call("DELETE", f.base, map[string]string{"reason": "the lab closes"}, nethttp.StatusOK, nil)

	for _, role := range []string{"owner", "admin", "member", "auditor"} {
		_, body := f.clients[role].call("GET", f.base, nil, nethttp.StatusNotFound, nil)
		if code := problemCode(t, body); code != "workspace_deleted" {
			t.Errorf("GET of the deleted workspace as %s answers %s, want workspace_deleted", role, code)
		}
	}
	f.clients["admin"].call("GET", f.base+"/members", nil, nethttp.StatusNotFound, nil)
	f.clients["admin"].call("PATCH", f.base, map[string]string{"name": "Still here"}, nethttp.StatusNotFound, nil)
	f.owner.call("PUT", f.base+"/plan", map[string]int{"seats": 600}, nethttp.StatusNotFound, nil)
	f.owner.call("GET", f.base+"/history", nil, nethttp.StatusNotFound, nil)
	_, body = f.clients["outsider"].call("GET", f.base, nil, nethttp.StatusNotFound, nil)
	if code := problemCode(t, body); code != "not_found" {
		t.Errorf("an outsider learns %s of a deleted workspace, want not_found", code)
	}
	f.owner.call("DELETE", f.base, map[string]string{"reason": "again"}, nethttp.StatusNotFound, nil)

	var activity struct{ Items []struct{ Summary string } }
	// The auditor reads with the owner's token, as one who was told of the deletion.
	f.clients["auditor"].call("GET", f.base+"/history", nil, nethttp.StatusOK, &activity, "X-Consistency-Token", f.owner.consistency)
	if len(activity.Items) == 0 || !strings.Contains(activity.Items[0].Summary, "workspace.deleted") {
		t.Errorf("the auditor's activity log does not end with the deletion: %+v", activity.Items[:min(len(activity.Items), 1)])
	}
	stream := "/v1/streams/workspace-" + strings.TrimPrefix(f.base, "/v1/workspaces/") + "/events"
	f.platform.call("GET", stream, nil, nethttp.StatusOK, nil)
	f.clients["admin"].call("GET", stream, nil, nethttp.StatusNotFound, nil)

	f.clients["admin"].call("POST", f.base+"/restore", nil, nethttp.StatusNotFound, nil)
	f.owner.call("POST", f.base+"/restore", map[string]string{"reason": "reopened"}, nethttp.StatusOK, nil)
	f.owner.call("POST", f.base+"/restore", nil, nethttp.StatusConflict, nil)

	var after workspaceView
	f.clients["member"].call("GET", f.base, nil, nethttp.StatusOK, &after)
	if after != before {
		t.Errorf("after the restore the workspace is %+v, want %+v", after, before)
	}
	_, membersAfter := f.owner.call("GET", f.base+"/members", nil, nethttp.StatusOK, nil)
	if string(membersAfter) != string(membersBefore) {
		t.Errorf("the members changed across deletion and restore:\nbefore %s\nafter  %s", membersBefore, membersAfter)
	}
	f.clients["admin"].call("PATCH", f.base, map[string]string{"name": "Roles"}, nethttp.StatusOK, nil)
}

// TestRulePlatformAdminRestoresTheWorkspace: a platform admin may restore a workspace
// its owner deleted (the owner may have left); a deleted workspace refuses invitations.
func TestRulePlatformAdminRestoresTheWorkspace(t *testing.T) {
	platform := startAPI(t)
	base, owner, _ := newWorkspace(platform, "Closing", 3, "owner@closing.example")
	owner.call("DELETE", base, map[string]string{"reason": "budget"}, nethttp.StatusOK, nil)
	owner.call("POST", base+"/invitations", map[string]any{"email": "late@closing.example",
		"first_name": "L", "last_name": "Ate", "role": "member"}, nethttp.StatusNotFound, nil)
	platform.call("POST", base+"/restore", map[string]string{"reason": "by mistake"}, nethttp.StatusOK, nil)
	owner.call("GET", base, nil, nethttp.StatusOK, nil)
}
