package main

import (
	nethttp "net/http"

	"github.com/google/uuid"
)

// spendTarget prepares a target of the spend-scope routes: a fresh cloud account under a
// provider, and a spend group, defined by the owner; a definition names a fresh
// subscription under that cloud account, so that no valid request finds it defined.
func (f *badInputFixture) spendTarget(tg *badInputTarget, path string) {
	f.platform.t.Helper()
	id := uuid.NewString()[:8]
	base := "/v1/workspaces/" + f.ws + "/spend-scopes/"
	for _, d := range []struct{ scope, parent string }{{"provider:bi", ""}, {"cloud_account:bi-" + id, "provider:bi"}, {"spend_group:bi", ""}} {
		f.owner.call("PUT", base+d.scope, map[string]string{"name": "Bad input", "parent": d.parent}, nethttp.StatusOK, nil)
	}
	tg.vars["group"], tg.vars["scope"] = "spend_group:bi", "cloud_account:bi-"+id
	if path == "/v1/workspaces/{ws}/spend-scopes/{scope}" {
		tg.vars["scope"], tg.hints["parent"] = "subscription:bi-"+id, "cloud_account:bi-"+id
	}
}
