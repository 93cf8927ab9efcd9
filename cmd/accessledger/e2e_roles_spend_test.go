package main

import nethttp "net/http"

// spendGroupPath defines, as the owner, a provider, a cloud account under it and a spend
// group (again changes nothing), and answers the path of the account's membership in the
// group.
func (f *roleFixture) spendGroupPath() string {
	for _, d := range []struct{ scope, parent string }{{"provider:roles", ""}, {"cloud_account:roles", "provider:roles"}, {"spend_group:roles", ""}} {
		f.owner.call("PUT", f.base+"/spend-scopes/"+d.scope, map[string]string{"name": "Roles", "parent": d.parent}, nethttp.StatusOK, nil)
	}
	return f.base + "/spend-scopes/spend_group:roles/members/cloud_account:roles"
}

// spendCases are the routes that define the workspace's spend scopes: admins only.
func spendCases() []roleCase {
	ok := nethttp.StatusOK
	return []roleCase{
		{method: "PUT", path: at("/spend-scopes/provider:matrix"), body: map[string]string{"name": "Matrix"}, ok: ok, who: admins},
		{method: "PUT", path: (*roleFixture).spendGroupPath, ok: ok, who: admins},
		{method: "DELETE", path: (*roleFixture).spendGroupPath, ok: ok, who: admins},
	}
}
