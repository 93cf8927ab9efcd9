package main

import (
	nethttp "net/http"
	"testing"

	"github.com/google/uuid"
)

// The rules of who may do what that issue 13 found broken, each asked over HTTP.

// TestRuleUsersModuleIsForAdmins: the member list, any member's detail and history are
// for the owner, admins and auditors (and platform admins); a manager, member or viewer
// gets 403, though each still reads their own detail and history, and a manager still
// asks who may book a category and whether a member may do something.
func TestRuleUsersModuleIsForAdmins(t *testing.T) {
	f := newRoleFixture(t)
	waitReady(t, f.platform.base) // serve installs its read models while it already listens
	other := f.ids["admin"]       // nobody below admin reads it as their own
	cases := []struct {
		name, path string
		who        []string
	}{
		{"member list", f.base + "/members", []string{"owner", "admin", "auditor", "platform"}},
		{"another member's detail", f.base + "/members/" + other, []string{"owner", "admin", "auditor", "platform"}},
		{"another member's history", f.base + "/members/" + other + "/history", []string{"owner", "admin", "auditor", "platform"}},
		{"who may book a category", f.base + "/booking/categories/" + f.category + "/authorized", []string{"owner", "admin", "manager", "auditor", "platform"}},
		{"an access check about another member", f.base + "/access/check?action=login&account=" + other, []string{"owner", "admin", "manager", "auditor", "platform"}},
	}
	for _, c := range cases {
		for _, role := range []string{"owner", "admin", "manager", "member", "viewer", "auditor", "platform"} {
			want := nethttp.StatusForbidden
			for _, w := range c.who {
				if w == role {
					want = nethttp.StatusOK
				}
			}
			t.Run(c.name+" as "+role, func(t *testing.T) {
				f.call(t, role, "GET", c.path, want)
			})
		}
	}
	for _, role := range []string{"manager", "member", "viewer"} {
		t.Run(role+" reads their own detail and history", func(t *testing.T) {
			f.call(t, role, "GET", f.base+"/members/"+f.ids[role], nethttp.StatusOK)
			f.call(t, role, "GET", f.base+"/members/"+f.ids[role]+"/history", nethttp.StatusOK)
		})
	}
}

// TestHistoryOfAnAccountTheWorkspaceNeverHadIsNotFound: a member's history answers 404,
// as the member's detail does, for an account that never was in the workspace; a member
// with no change in the period asked answers an empty page.
func TestHistoryOfAnAccountTheWorkspaceNeverHadIsNotFound(t *testing.T) {
	f := newRoleFixture(t)
	waitReady(t, f.platform.base)
	f.call(t, "owner", "GET", f.base+"/members/"+uuid.NewString()+"/history", nethttp.StatusNotFound)
	f.call(t, "owner", "GET", f.base+"/members/"+f.ids["member"]+"/history?to=2000-01-01T00:00:00Z", nethttp.StatusOK)
}

// call asks path as role, with the owner's consistency token, and wants status want.
func (f *roleFixture) call(t *testing.T, role, method, path string, want int) {
	t.Helper()
	client := *f.clients[role]
	client.t = t
	client.consistency = f.owner.consistency
	client.call(method, path, nil, want, nil)
}

// decision is an access check's answer.
type decision struct {
	Allowed bool
	Reason  string
}

// check answers the access check of account for action, asked by c.
func check(c *apiClient, base, account, action string) decision {
	c.t.Helper()
	var d decision
	c.call("GET", base+"/access/check?account="+account+"&action="+action, nil, nethttp.StatusOK, &d)
	return d
}

// TestRuleWorkspaceAdminsSeeEveryProject: the owner and every admin hold every role in
// every live project of the workspace by their workspace role (reason workspace_role),
// projects created later included; the rights end with the admin role and never reach
// an archived project or one the workspace does not have.
func TestRuleWorkspaceAdminsSeeEveryProject(t *testing.T) {
	platform := startAPI(t)
	waitReady(t, platform.base)
	base, owner, ownerID := newWorkspace(platform, "Projects", 10, "owner@projects.example")
	admin, _ := inviteAndAccept(owner, base, map[string]any{"email": "admin@projects.example", "first_name": "A", "last_name": "Dmin", "role": "admin"})
	member, _ := inviteAndAccept(owner, base, map[string]any{"email": "member@projects.example", "first_name": "M", "last_name": "Ember", "role": "member"})
	var project, archived struct{ ID string }
	owner.call("POST", base+"/projects", map[string]string{"name": "Atlas"}, nethttp.StatusCreated, &project)
	owner.call("POST", base+"/projects", map[string]string{"name": "Old"}, nethttp.StatusCreated, &archived)
	owner.call("DELETE", base+"/projects/"+archived.ID, nil, nethttp.StatusOK, nil)

	expect := func(t *testing.T, account, projectID string, want decision) {
		t.Helper()
		for _, role := range []string{"project_admin", "contributor", "viewer"} {
			if got := check(owner, base, account, "project:"+projectID+":"+role); got != want {
				t.Errorf("project:%s:%s: %+v, want %+v", projectID, role, got, want)
			}
		}
	}
	byRole := decision{Allowed: true, Reason: "workspace_role"}
	noGrant := decision{Reason: "no_grant"}
	t.Run("owner and admin hold every project role", func(t *testing.T) {
		expect(t, ownerID, project.ID, byRole)
		expect(t, admin, project.ID, byRole)
		expect(t, member, project.ID, noGrant)
	})
	t.Run("not an archived project, nor one the workspace does not have", func(t *testing.T) {
		expect(t, admin, archived.ID, noGrant)
		expect(t, admin, "6f1b0c1e-4a8e-4f5e-9d43-2f7c0a1b2c3d", noGrant)
	})
	t.Run("a project created later", func(t *testing.T) {
		var later struct{ ID string }
		owner.call("POST", base+"/projects", map[string]string{"name": "Later"}, nethttp.StatusCreated, &later)
		expect(t, admin, later.ID, byRole)
	})
	t.Run("the rights come and go with the admin role", func(t *testing.T) {
		owner.call("PUT", base+"/members/"+admin+"/role", map[string]string{"role": "member"}, nethttp.StatusOK, nil)
		expect(t, admin, project.ID, noGrant)
		owner.call("PUT", base+"/members/"+member+"/role", map[string]string{"role": "admin"}, nethttp.StatusOK, nil)
		expect(t, member, project.ID, byRole)
	})
	t.Run("a project role the member holds answers granted", func(t *testing.T) {
		owner.call("PUT", base+"/members/"+admin+"/projects/"+project.ID, map[string]string{"role": "viewer"}, nethttp.StatusOK, nil)
		if got := check(owner, base, admin, "project:"+project.ID+":viewer"); got != (decision{Allowed: true, Reason: "granted"}) {
			t.Errorf("viewer of the project: %+v, want granted", got)
		}
		if got := check(owner, base, admin, "project:"+project.ID+":contributor"); got != noGrant {
			t.Errorf("a member who is a viewer asks for contributor: %+v, want no_grant", got)
		}
	})
}

// TestRuleDisabledUserCannotBeEdited: an admin's authority over an account's details
// comes from a membership that may be edited. Once the account's every membership the
// admin reaches is deactivated or deleted, PATCH /v1/accounts/{a} answers 409
// member_frozen and changes nothing; reading stays allowed. An admin of another
// workspace where the account is active still edits it, and so does the account holder.
func TestRuleDisabledUserCannotBeEdited(t *testing.T) {
	platform := startAPI(t)
	waitReady(t, platform.base)
	base, owner, _ := newWorkspace(platform, "Frozen", 10, "owner@frozen.example")
	otherBase, otherOwner, _ := newWorkspace(platform, "Elsewhere", 10, "owner@elsewhere.example")
	_, holder, account := newWorkspace(platform, "Own", 2, "holder@frozen.example")
	for _, ws := range []struct {
		base  string
		owner *apiClient
	}{{base, owner}, {otherBase, otherOwner}} {
		holder.call("POST", ws.base+"/access-requests", nil, nethttp.StatusCreated, nil)
		ws.owner.consistency = holder.consistency
		ws.owner.call("POST", ws.base+"/access-requests/"+account+"/approve", map[string]string{"role": "member"}, nethttp.StatusOK, nil)
		// PATCH finds the account's workspaces in the member list, which a query waits for.
		ws.owner.call("GET", ws.base+"/members/"+account, nil, nethttp.StatusOK, nil)
	}
	path := "/v1/accounts/" + account
	frozen := func(t *testing.T, c *apiClient) {
		t.Helper()
		_, data := c.call("PATCH", path, map[string]string{"first_name": "Renamed", "email": "renamed@frozen.example"}, nethttp.StatusConflict, nil)
		if code := problemCode(t, data); code != "member_frozen" {
			t.Errorf("PATCH of a frozen member's account: %s, want member_frozen", code)
		}
		var got struct {
			Email     string
			FirstName string `json:"first_name"`
		}
		c.call("GET", path, nil, nethttp.StatusOK, &got)
		if got.Email != "holder@frozen.example" || got.FirstName != "Owner" {
			t.Errorf("the refused PATCH changed the account: %+v", got)
		}
	}

	owner.call("POST", base+"/members/"+account+"/license/deactivate", nil, nethttp.StatusOK, nil)
	t.Run("deactivated", func(t *testing.T) { frozen(t, owner) })
	t.Run("an admin of a workspace where it is active still edits", func(t *testing.T) {
		otherOwner.call("PATCH", path, map[string]string{"phone": "+41446681800"}, nethttp.StatusOK, nil)
	})
	t.Run("the account holder still edits", func(t *testing.T) {
		holder.call("PATCH", path, map[string]string{"last_name": "Holder"}, nethttp.StatusOK, nil)
	})
	owner.call("POST", base+"/members/"+account+"/license/reactivate", nil, nethttp.StatusOK, nil)
	t.Run("reactivated", func(t *testing.T) {
		owner.call("PATCH", path, map[string]string{"last_name": "Again"}, nethttp.StatusOK, nil)
	})
	owner.call("DELETE", base+"/members/"+account, nil, nethttp.StatusOK, nil)
	t.Run("deleted", func(t *testing.T) { frozen(t, owner) })
}
