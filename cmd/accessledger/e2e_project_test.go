package main

import (
	nethttp "net/http"
	"testing"
)

// invitee is someone invited and, once accepted, their client.
type invitee struct {
	AccountID string `json:"account_id"`
	Token     string `json:"invitation_token"`
}

// inviteAndAccept invites a person through by and accepts as them; it answers their id
// and a client holding their API token.
func inviteAndAccept(by *apiClient, base string, body map[string]any) (string, *apiClient) {
	by.t.Helper()
	var inv invitee
	by.call("POST", base+"/invitations", body, nethttp.StatusCreated, &inv)
	var acc struct {
		APIToken string `json:"api_token"`
	}
	invitee := by.as("")
	invitee.call("POST", "/v1/invitations/accept", map[string]string{"token": inv.Token}, nethttp.StatusOK, &acc)
	// The inviter's next reads must see the accept, which the invitee wrote: hand the
	// invitee's consistency token over, as a UI that learns of the accept would.
	by.consistency = invitee.consistency
	return inv.AccountID, invitee.as(acc.APIToken)
}

// TestStoryProjectTool: a workspace admin invites users with project roles; a project
// admin adds an existing member to their project but cannot invite; the seat quota is
// reached; deactivating a license frees a seat for the next invitation.
func TestStoryProjectTool(t *testing.T) { forEachBackend(t, storyProjectTool) }

func storyProjectTool(t *testing.T, platform *apiClient) {
	var ws struct {
		WorkspaceID string `json:"workspace_id"`
		OwnerToken  string `json:"owner_token"`
	}
	platform.call("POST", "/v1/workspaces", map[string]any{"name": "Bridges Ltd", "seats": 4,
		"owner": map[string]string{"email": "ceo@bridges.example", "first_name": "Isambard", "last_name": "Brunel"}}, nethttp.StatusCreated, &ws)
	owner := platform.as(ws.OwnerToken)
	base := "/v1/workspaces/" + ws.WorkspaceID
	var project struct{ ID string }
	owner.call("POST", base+"/projects", map[string]string{"name": "Clifton"}, nethttp.StatusCreated, &project)
	_, admin := inviteAndAccept(owner, base, map[string]any{"email": "ops@bridges.example", "first_name": "Sophia",
		"last_name": "Kingdom", "role": "admin"})

	_, lead := inviteAndAccept(admin, base, map[string]any{"email": "lead@bridges.example", "first_name": "Marc",
		"last_name": "Brunel", "role": "member", "projects": []map[string]string{{"project_id": project.ID, "role": "project_admin"}}})
	worker, _ := inviteAndAccept(admin, base, map[string]any{"email": "worker@bridges.example", "first_name": "William",
		"last_name": "Hosking", "role": "member"})

	lead.call("PUT", base+"/members/"+worker+"/projects/"+project.ID, map[string]string{"role": "contributor"}, nethttp.StatusOK, nil)
	_, data := lead.call("POST", base+"/invitations", map[string]any{"email": "new@bridges.example", "first_name": "New",
		"last_name": "Person", "role": "member"}, nethttp.StatusForbidden, nil)
	if code := problemCode(t, data); code != "forbidden" {
		t.Errorf("a project admin inviting: %s, want forbidden", code)
	}

	next := map[string]any{"email": "next@bridges.example", "first_name": "Next", "last_name": "Hire", "role": "member"}
	_, data = admin.call("POST", base+"/invitations", next, nethttp.StatusConflict, nil)
	if code := problemCode(t, data); code != "quota_exceeded" {
		t.Fatalf("inviting past the quota: %s, want quota_exceeded", code)
	}
	admin.call("POST", base+"/members/"+worker+"/license/deactivate", nil, nethttp.StatusOK, nil)
	admin.call("POST", base+"/invitations", next, nethttp.StatusCreated, nil)

	// Nobody learns about a workspace they do not belong to, nor acts without a token.
	var other struct {
		WorkspaceID string `json:"workspace_id"`
	}
	platform.call("POST", "/v1/workspaces", map[string]any{"name": "Rivals", "seats": 2,
		"owner": map[string]string{"email": "boss@rivals.example", "first_name": "Thomas", "last_name": "Telford"}}, nethttp.StatusCreated, &other)
	for _, path := range []string{"", "/members", "/members/" + worker, "/history"} {
		if _, data := lead.call("GET", "/v1/workspaces/"+other.WorkspaceID+path, nil, nethttp.StatusNotFound, nil); problemCode(t, data) != "not_found" {
			t.Errorf("GET %s of another workspace: %s", path, data)
		}
	}
	admin.call("PATCH", "/v1/workspaces/"+other.WorkspaceID, map[string]string{"name": "Ours"}, nethttp.StatusNotFound, nil)
	admin.as("").call("GET", base+"/members", nil, nethttp.StatusUnauthorized, nil)
	admin.as("alt_not-a-token").call("GET", base+"/members", nil, nethttp.StatusUnauthorized, nil)

	var licenses struct {
		Seats, Used, Available int
		ByStatus               map[string]int `json:"used_by_status"`
	}
	admin.call("GET", base+"/licenses", nil, nethttp.StatusOK, &licenses)
	if licenses.Seats != 4 || licenses.Used != 4 || licenses.Available != 0 || licenses.ByStatus["deactivated"] != 1 {
		t.Errorf("licenses %+v: want 4 seats used of 4 and one deactivated member", licenses)
	}
}
