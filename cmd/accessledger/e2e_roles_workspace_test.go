package main

import (
	nethttp "net/http"
	"strconv"
)

// spareWorkspace creates another workspace of the fixture's owner with the fixture's
// admin, manager, member, viewer and auditor on its roster, for a route that ends the
// workspace it is sent to, and answers its path.
func (f *roleFixture) spareWorkspace() string {
	f.invites++
	base, _, _ := newWorkspace(f.platform, "Spare "+strconv.Itoa(f.invites), 10, "owner@roles.example")
	for _, role := range []string{"admin", "manager", "member", "viewer", "auditor"} {
		inviteAndAccept(f.owner, base, map[string]any{"email": role + "@roles.example", "first_name": "A", "last_name": role, "role": role})
	}
	return base
}

// deletedWorkspace is spareWorkspace deleted by its owner.
func (f *roleFixture) deletedWorkspace() string {
	base := f.spareWorkspace()
	f.owner.call("DELETE", base, map[string]string{"reason": "closing"}, nethttp.StatusOK, nil)
	return base
}

// workspaceLifecycleCases are the routes that delete and restore a workspace: the owner's
// and platform admins'. Once deleted, the workspace is not found for its members.
func workspaceLifecycleCases() []roleCase {
	gone := map[string]int{"admin": 404, "manager": 404, "member": 404, "viewer": 404, "auditor": 404}
	return []roleCase{
		{method: "DELETE", path: (*roleFixture).spareWorkspace, body: map[string]string{"reason": "closing"},
			ok: nethttp.StatusOK, who: []string{"owner", "platform"}},
		{method: "POST", path: func(f *roleFixture) string { return f.deletedWorkspace() + "/restore" },
			ok: nethttp.StatusOK, who: []string{"owner", "platform"}, other: gone},
	}
}
