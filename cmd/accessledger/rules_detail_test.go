package main

import (
	nethttp "net/http"
	"testing"
	"time"
)

// memberDetail is the part of the member detail these rules read.
type memberDetail struct {
	Role     string `json:"role"`
	Contract struct {
		Reference  string `json:"reference"`
		EndsOn     string `json:"ends_on"`
		Convention string `json:"convention"`
	} `json:"contract"`
	Grant    []string          `json:"grant"`
	Deny     []string          `json:"deny"`
	Scopes   map[string]string `json:"scopes"`
	Security struct {
		MFAEveryLogin      bool `json:"mfa_every_login"`
		PasswordMaxAgeDays int  `json:"password_max_age_days"`
	} `json:"security"`
	Clients []string `json:"clients"`
	Visas   []struct {
		CategoryID string     `json:"category_id"`
		ValidUntil *time.Time `json:"valid_until"`
	} `json:"visas"`
	ProjectAccess []struct {
		ProjectID string `json:"project_id"`
		Role      string `json:"role"`
		Source    string `json:"source"`
	} `json:"project_access"`
}

// TestRuleContractIsReadWhereWritten: contract and convention information set on a
// member shows on the member detail, as of a time, and in the member's history with
// what it replaced.
func TestRuleContractIsReadWhereWritten(t *testing.T) {
	f := newRoleFixture(t)
	id := f.member()
	path := f.base + "/members/" + id
	f.owner.call("PUT", path+"/contract", map[string]string{"reference": "C-1", "convention": "standard"}, nethttp.StatusOK, nil)
	between := time.Now().UTC()
	f.owner.call("PUT", path+"/contract", map[string]string{"reference": "C-2", "ends_on": "2031-06-30", "convention": "premium"}, nethttp.StatusOK, nil)

	var now memberDetail
	f.owner.call("GET", path, nil, nethttp.StatusOK, &now)
	if c := now.Contract; c.Reference != "C-2" || c.EndsOn != "2031-06-30" || c.Convention != "premium" {
		t.Errorf("member detail shows contract %+v, want C-2 ending 2031-06-30 under premium", c)
	}
	var then struct {
		Contract struct{ Reference, EndsOn, Convention string } `json:"contract"`
	}
	f.owner.call("GET", path+"?as_of="+between.Format(time.RFC3339Nano), nil, nethttp.StatusOK, &then)
	if c := then.Contract; c.Reference != "C-1" || c.Convention != "standard" {
		t.Errorf("as_of shows contract %+v, want C-1 under standard", c)
	}
	var history struct {
		Items []struct {
			Kind          string
			Key           string
			Before, After *string
		}
	}
	f.owner.call("GET", path+"/history?kind=contract", nil, nethttp.StatusOK, &history)
	changes := map[string][2]string{}
	for _, c := range history.Items {
		changes[c.Key] = [2]string{deref(c.Before), deref(c.After)}
	}
	want := map[string][2]string{"reference": {"C-1", "C-2"}, "ends_on": {"", "2031-06-30"}, "convention": {"standard", "premium"}}
	for key, w := range want {
		if got, ok := changes[key]; !ok || got != w {
			t.Errorf("history of contract %s: %v (found %v), want before %q after %q", key, got, ok, w[0], w[1])
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestRuleMemberReadAnswersETag: the member detail and the account answer the version
// their commands check, so that a save based on what a stale read showed is refused.
func TestRuleMemberReadAnswersETag(t *testing.T) {
	f := newRoleFixture(t)
	id := f.member()
	path := f.base + "/members/" + id
	resp, _ := f.owner.call("GET", path, nil, nethttp.StatusOK, nil)
	shown := resp.Header.Get("ETag")
	if shown == "" {
		t.Fatal("the member detail answers no ETag")
	}
	// Saved on what was just shown: accepted, and the answer's ETag is what a read shows.
	resp, _ = f.owner.call("PUT", path+"/role", map[string]string{"role": "manager"}, nethttp.StatusOK, nil, "If-Match", shown)
	saved := resp.Header.Get("ETag")
	resp, _ = f.owner.call("GET", path, nil, nethttp.StatusOK, nil)
	if got := resp.Header.Get("ETag"); got != saved {
		t.Errorf("after a role change answered ETag %s, the detail answers %s", saved, got)
	}
	// Someone else changes the member: a save on the older read is refused.
	f.clients["admin"].call("POST", path+"/suspend", map[string]string{"reason": "audit"}, nethttp.StatusOK, nil)
	_, data := f.owner.call("PUT", path+"/role", map[string]string{"role": "viewer"}, nethttp.StatusPreconditionFailed, nil, "If-Match", saved)
	if code := problemCode(t, data); code != "version_conflict" {
		t.Errorf("stale If-Match: code %s, want version_conflict", code)
	}

	account := "/v1/accounts/" + id
	resp, _ = f.owner.call("GET", account, nil, nethttp.StatusOK, nil)
	tag := resp.Header.Get("ETag")
	if tag == "" {
		t.Fatal("the account answers no ETag")
	}
	f.owner.call("PATCH", account, map[string]string{"first_name": "Ada"}, nethttp.StatusOK, nil, "If-Match", tag)
	f.owner.call("PATCH", account, map[string]string{"first_name": "Eve"}, nethttp.StatusPreconditionFailed, nil, "If-Match", tag)
}

// TestRuleMemberDetailShowsEverything: the member detail shows permissions, scopes,
// security settings, clients, visas with validity, and the projects the member may work
// on, explicitly or by an admin's role.
func TestRuleMemberDetailShowsEverything(t *testing.T) {
	f := newRoleFixture(t)
	id := f.member()
	path := f.base + "/members/" + id
	until := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
	f.owner.call("PUT", path+"/permissions", map[string]any{"grant": []string{"orders.approve"}, "deny": []string{"invoices.pay"}}, nethttp.StatusOK, nil)
	f.owner.call("PUT", path+"/scopes/company:acme", map[string]string{"level": "read"}, nethttp.StatusOK, nil)
	f.owner.call("PUT", path+"/security", map[string]any{"mfa_every_login": true, "password_max_age_days": 90}, nethttp.StatusOK, nil)
	f.owner.call("PUT", path+"/clients/"+f.client, nil, nethttp.StatusOK, nil)
	f.owner.call("PUT", path+"/visas/"+f.category, map[string]string{"visa_id": f.visa, "valid_until": until.Format(time.RFC3339)}, nethttp.StatusOK, nil)
	f.owner.call("PUT", path+"/projects/"+f.project, map[string]string{"role": "contributor"}, nethttp.StatusOK, nil)

	var m memberDetail
	f.owner.call("GET", path, nil, nethttp.StatusOK, &m)
	if len(m.Grant) != 1 || m.Grant[0] != "orders.approve" || len(m.Deny) != 1 || m.Deny[0] != "invoices.pay" {
		t.Errorf("permissions: grant %v deny %v", m.Grant, m.Deny)
	}
	if m.Scopes["company:acme"] != "read" {
		t.Errorf("scopes: %v", m.Scopes)
	}
	if !m.Security.MFAEveryLogin || m.Security.PasswordMaxAgeDays != 90 {
		t.Errorf("security: %+v", m.Security)
	}
	if len(m.Clients) != 1 || m.Clients[0] != f.client {
		t.Errorf("clients: %v", m.Clients)
	}
	if len(m.Visas) != 1 || m.Visas[0].CategoryID != f.category || m.Visas[0].ValidUntil == nil || !m.Visas[0].ValidUntil.Equal(until) {
		t.Errorf("visas: %+v", m.Visas)
	}
	if len(m.ProjectAccess) != 1 || m.ProjectAccess[0].ProjectID != f.project || m.ProjectAccess[0].Role != "contributor" || m.ProjectAccess[0].Source != "explicit" {
		t.Errorf("project access of a member: %+v", m.ProjectAccess)
	}

	second := f.define("projects", "Borealis")
	for _, role := range []string{"admin", "owner"} {
		var a memberDetail
		f.owner.call("GET", f.base+"/members/"+f.ids[role], nil, nethttp.StatusOK, &a)
		got := map[string]string{}
		for _, p := range a.ProjectAccess {
			got[p.ProjectID] = p.Source + "/" + p.Role
		}
		want := map[string]string{f.project: "role/project_admin", second: "role/project_admin"}
		if len(got) != len(want) || got[f.project] != want[f.project] || got[second] != want[second] {
			t.Errorf("project access of the %s: %v, want every project by role: %v", role, got, want)
		}
	}
}
