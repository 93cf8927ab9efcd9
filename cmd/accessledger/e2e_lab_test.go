package main

import (
	nethttp "net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestStoryLabPlatform walks a lab platform through HTTP only: a space with booking, a
// category and a visa; a user invited, accepting, granted the visa, allowed to book;
// their license deactivated, denied; and their history, every step with its actor.
func TestStoryLabPlatform(t *testing.T) { forEachBackend(t, storyLabPlatform) }

func storyLabPlatform(t *testing.T, platform *apiClient) {
	var ws struct {
		WorkspaceID    string `json:"workspace_id"`
		OwnerAccountID string `json:"owner_account_id"`
		OwnerToken     string `json:"owner_token"`
	}
	platform.call("POST", "/v1/workspaces", map[string]any{"name": "Imaging lab", "seats": 5,
		"owner": map[string]string{"email": "head@lab.example", "first_name": "Rosalind", "last_name": "Franklin"}}, nethttp.StatusCreated, &ws)
	owner := platform.as(ws.OwnerToken)
	base := "/v1/workspaces/" + ws.WorkspaceID

	owner.call("PUT", base+"/modules/booking", map[string]any{"enabled": true, "min_role": "member"}, nethttp.StatusOK, nil)
	var category, visa struct{ ID string }
	owner.call("POST", base+"/booking/categories", map[string]string{"name": "Confocal microscopes"}, nethttp.StatusCreated, &category)
	owner.call("POST", base+"/booking/visas", map[string]string{"name": "Autonomous use"}, nethttp.StatusCreated, &visa)

	var inv struct {
		AccountID       string `json:"account_id"`
		InvitationToken string `json:"invitation_token"`
		InvitationURL   string `json:"invitation_url"`
	}
	owner.call("POST", base+"/invitations", map[string]any{"email": "ada@lab.example", "first_name": "Ada",
		"last_name": "Lovelace", "role": "member"}, nethttp.StatusCreated, &inv)
	if inv.InvitationToken == "" || inv.InvitationURL == "" {
		t.Fatalf("the invitation answers no token or URL: %+v", inv)
	}
	var acc struct {
		AccountID string `json:"account_id"`
		APIToken  string `json:"api_token"`
	}
	invitee := owner.as("")
	invitee.call("POST", "/v1/invitations/accept", map[string]string{"token": inv.InvitationToken}, nethttp.StatusOK, &acc)
	ada := invitee.as(acc.APIToken)
	member := base + "/members/" + inv.AccountID

	owner.consistency = ada.consistency
	owner.call("PUT", member+"/visas/"+category.ID, map[string]string{"visa_id": visa.ID, "reason": "trained on 2026-11-30"}, nethttp.StatusOK, nil)
	check := base + "/access/check?account=" + inv.AccountID + "&action=book:" + category.ID
	var decision struct {
		Allowed bool
		Reason  string
	}
	ada.consistency = owner.consistency
	ada.call("GET", check, nil, nethttp.StatusOK, &decision)
	if !decision.Allowed {
		t.Fatalf("after the visa: %+v, want allowed", decision)
	}

	granted := time.Now()
	time.Sleep(5 * time.Millisecond)
	owner.call("POST", member+"/license/deactivate", map[string]string{"reason": "left the lab"}, nethttp.StatusOK, nil)
	owner.call("GET", check, nil, nethttp.StatusOK, &decision)
	if decision.Allowed {
		t.Fatalf("after the deactivation: %+v, want denied", decision)
	}

	// An auditor's question: what was the member's standing after the visa, before the
	// deactivation? Folded from the streams.
	var then struct {
		Status string
		Visas  map[string]struct {
			VisaID string `json:"visa_id"`
		}
	}
	owner.call("GET", member+"?as_of="+url.QueryEscape(granted.Format(time.RFC3339Nano)), nil, nethttp.StatusOK, &then)
	if then.Status != "active" || then.Visas[category.ID].VisaID != visa.ID {
		t.Errorf("as of the grant: %+v, want active with the visa", then)
	}
	owner.call("GET", member+"?as_of=2001-01-01T00:00:00Z", nil, nethttp.StatusNotFound, nil)

	var history struct {
		Items []struct {
			Kind, Actor, Reason string
			After               *string
		}
	}
	owner.call("GET", member+"/history?limit=100", nil, nethttp.StatusOK, &history)
	want := map[string]string{"status:invited": ws.OwnerAccountID, "status:active": inv.AccountID, "visa:" + visa.ID: ws.OwnerAccountID,
		"status:deactivated": ws.OwnerAccountID}
	seen := map[string]bool{}
	for _, c := range history.Items {
		if c.After == nil {
			continue
		}
		key := c.Kind + ":" + *c.After
		if actor, ok := want[key]; ok {
			seen[key] = true
			if c.Actor != actor {
				t.Errorf("%s: actor %s, want %s", key, c.Actor, actor)
			}
		}
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("the history has no change to %s: %+v", key, history.Items)
		}
	}

	// Ada lists her tokens and revokes the one she uses: the next request is refused.
	var tokens struct {
		Items []struct {
			ID         string  `json:"id"`
			LastUsedAt *string `json:"last_used_at"`
		}
	}
	ada.call("GET", "/v1/accounts/"+inv.AccountID+"/tokens", nil, nethttp.StatusOK, &tokens)
	if len(tokens.Items) != 1 || tokens.Items[0].LastUsedAt == nil {
		t.Fatalf("Ada's tokens: %+v, want the one she uses", tokens.Items)
	}
	ada.call("DELETE", "/v1/accounts/"+inv.AccountID+"/tokens/"+tokens.Items[0].ID, nil, nethttp.StatusOK, nil)
	ada.call("GET", check, nil, nethttp.StatusUnauthorized, nil)

	// The workspace's activity log shows the token's issue and end, never the token.
	owner.consistency = ada.consistency
	var activity struct {
		Items []struct{ Summary, Actor string }
	}
	_, raw := owner.call("GET", base+"/history?member="+inv.AccountID, nil, nethttp.StatusOK, &activity)
	var issued, revoked bool
	for _, e := range activity.Items {
		issued = issued || strings.HasPrefix(e.Summary, "issued an API token")
		revoked = revoked || strings.HasPrefix(e.Summary, "revoked an API token")
	}
	if !issued || !revoked {
		t.Errorf("the activity log lacks the token's issue or revocation: %+v", activity.Items)
	}
	if strings.Contains(string(raw), acc.APIToken) {
		t.Error("the activity log shows the token itself")
	}
}
