package main

import (
	nethttp "net/http"
	"strconv"
	"testing"
)

// roles are the callers the role table asks about: each role of a workspace, someone
// of another workspace, nobody (no token) and a platform admin.
var roles = []string{"owner", "admin", "manager", "member", "viewer", "auditor", "outsider", "anonymous", "platform"}

// roleFixture is a workspace with a member of every role, its catalog, and clients
// speaking for each role.
type roleFixture struct {
	t                               *testing.T
	platform, owner                 *apiClient
	base                            string
	clients                         map[string]*apiClient
	ids                             map[string]string // account id by role
	project, category, visa, client string
	invites                         int
}

func newRoleFixture(t *testing.T) *roleFixture {
	platform := startAPI(t)
	base, owner, ownerID := newWorkspace(platform, "Roles", 500, "owner@roles.example")
	f := &roleFixture{t: t, platform: platform, owner: owner, base: base,
		clients: map[string]*apiClient{"owner": owner, "platform": platform, "anonymous": platform.as("")},
		ids:     map[string]string{"owner": ownerID}}
	for _, role := range []string{"admin", "manager", "member", "viewer", "auditor"} {
		f.ids[role], f.clients[role] = inviteAndAccept(owner, base, map[string]any{"email": role + "@roles.example",
			"first_name": "A", "last_name": role, "role": role})
	}
	_, outsider, outsiderID := newWorkspace(platform, "Elsewhere", 5, "outsider@roles.example")
	f.clients["outsider"], f.ids["outsider"] = outsider, outsiderID
	owner.call("PUT", base+"/modules/booking", map[string]any{"enabled": true, "min_role": "member"}, nethttp.StatusOK, nil)
	f.project = f.define("projects", "Atlas")
	f.category = f.define("booking/categories", "Microscopes")
	f.visa = f.define("booking/visas", "Basic")
	f.client = f.define("clients", "Acme")
	return f
}

// define defines a catalog item as the owner and answers its id.
func (f *roleFixture) define(path, name string) string {
	var item struct{ ID string }
	f.owner.call("POST", f.base+"/"+path, map[string]string{"name": name}, nethttp.StatusCreated, &item)
	return item.ID
}

// invited invites a fresh person as the owner, and answers their account id.
func (f *roleFixture) invited() string {
	f.invites++
	var inv struct {
		AccountID string `json:"account_id"`
	}
	f.owner.call("POST", f.base+"/invitations", map[string]any{"email": "target" + strconv.Itoa(f.invites) + "@roles.example",
		"first_name": "T", "last_name": "Arget", "role": "member"}, nethttp.StatusCreated, &inv)
	return inv.AccountID
}

// member invites a fresh person who accepts, and answers their account id.
func (f *roleFixture) member() string {
	f.invites++
	id, _ := inviteAndAccept(f.owner, f.base, map[string]any{"email": "target" + strconv.Itoa(f.invites) + "@roles.example",
		"first_name": "T", "last_name": "Arget", "role": "member"})
	return id
}

// memberThen answers a fresh member after the owner has sent it the request setup.
func (f *roleFixture) memberThen(method, suffix string, body any) string {
	id := f.member()
	f.owner.call(method, f.base+"/members/"+id+suffix, body, nethttp.StatusOK, nil)
	return id
}

// requester answers a fresh account, with a pending request to join the workspace.
func (f *roleFixture) requester() string {
	f.invites++
	_, c, id := newWorkspace(f.platform, "Own "+strconv.Itoa(f.invites), 2, "req"+strconv.Itoa(f.invites)+"@roles.example")
	c.call("POST", f.base+"/access-requests", nil, nethttp.StatusCreated, nil)
	return id
}

// admin invites a fresh admin who accepts, and answers their account id.
func (f *roleFixture) admin() string {
	f.invites++
	id, _ := inviteAndAccept(f.owner, f.base, map[string]any{"email": "admin" + strconv.Itoa(f.invites) + "@roles.example",
		"first_name": "A", "last_name": "Dmin", "role": "admin"})
	return id
}
