package main

import (
	"fmt"
	nethttp "net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// badInputFixture is the state the bad-input suite's valid requests name: a workspace
// with the booking module on, its catalog, a member to read and a member with grants to
// copy from.
type badInputFixture struct {
	platform, owner *apiClient
	base, ws        string // "/v1/workspaces/<ws>", <ws>
	member          string // an active member, read by the queries
	grantee         string // an active member with permission overrides
	project         string
	category, visa  string
	client          string
	seq             *atomic.Int64 // makes emails, logins and names unique
}

// newBadInputFixture builds the fixture through the API, as platform (a client of the
// platform admin).
func newBadInputFixture(platform *apiClient) *badInputFixture {
	platform.t.Helper()
	f := &badInputFixture{platform: platform, seq: new(atomic.Int64)}
	f.base, f.owner, _ = newWorkspace(platform, "Bad input", 100_000, "owner@badinput.example")
	f.ws = strings.TrimPrefix(f.base, "/v1/workspaces/")
	f.owner.call("PUT", f.base+"/modules/booking", map[string]any{"enabled": true, "min_role": "member"}, nethttp.StatusOK, nil)
	f.project = f.define("projects")
	f.category = f.define("booking/categories")
	f.visa = f.define("booking/visas")
	f.client = f.define("clients")
	f.member, _ = f.newMember()
	f.grantee, _ = f.newMember()
	f.owner.call("PUT", f.base+"/members/"+f.grantee+"/permissions",
		map[string]any{"grant": []string{"orders.approve"}, "deny": []string{"invoices.pay"}}, nethttp.StatusOK, nil)
	// Queries with the consistency token wait for the read models to hold the fixture:
	// the members model, which the account routes read without waiting for any token,
	// and the others, so that no query of the suite waits long.
	for _, query := range []string{"/members/" + f.grantee, "/history", "/licenses", "/booking/categories/" + f.category + "/authorized"} {
		f.owner.call("GET", f.base+query, nil, nethttp.StatusOK, nil)
	}
	return f
}

// on answers the fixture with clients that fail t, a subtest of the one that built it.
func (f *badInputFixture) on(t *testing.T) *badInputFixture {
	g := *f
	g.platform = &apiClient{t: t, base: f.platform.base, token: f.platform.token, consistency: f.owner.consistency, answers: f.platform.answers}
	g.owner = g.platform.as(f.owner.token)
	return &g
}

// next answers a number no other call answers, for unique names.
func (f *badInputFixture) next() int64 { return f.seq.Add(1) }

// define defines a catalog item of kind ("projects", "booking/visas"…) and answers its id.
func (f *badInputFixture) define(kind string) string {
	var item struct{ ID string }
	f.owner.call("POST", f.base+"/"+kind, map[string]string{"name": fmt.Sprintf("Item %d", f.next())}, nethttp.StatusCreated, &item)
	return item.ID
}

// person answers an invitation body for a new person.
func (f *badInputFixture) person(role string) map[string]any {
	return map[string]any{"email": fmt.Sprintf("person%d@badinput.example", f.next()), "first_name": "Ada",
		"last_name": "Lovelace", "role": role}
}

// newMember invites a person who accepts, and answers their account id and client.
func (f *badInputFixture) newMember() (string, *apiClient) {
	return inviteAndAccept(f.owner, f.base, f.person("member"))
}

// newInvitee invites a person, and answers their account id and invitation token.
func (f *badInputFixture) newInvitee() (account, token string) {
	var inv invitee
	f.owner.call("POST", f.base+"/invitations", f.person("member"), nethttp.StatusCreated, &inv)
	return inv.AccountID, inv.Token
}

// newOutsider creates a workspace of its own for a new person, and answers its path, a
// client of its owner and the owner's account id.
func (f *badInputFixture) newOutsider() (string, *apiClient, string) {
	n := f.next()
	return newWorkspace(f.platform, fmt.Sprintf("Other %d", n), 10, fmt.Sprintf("other%d@badinput.example", n))
}

// newRequester answers a new account with a pending request to join the workspace.
func (f *badInputFixture) newRequester() string {
	_, c, id := f.newOutsider()
	c.call("POST", f.base+"/access-requests", nil, nethttp.StatusCreated, nil)
	return id
}

// tokenOf answers the id of account's first API token, read as the platform admin.
func (f *badInputFixture) tokenOf(account string) string {
	var tokens struct{ Items []struct{ ID string } }
	f.platform.call("GET", "/v1/accounts/"+account+"/tokens", nil, nethttp.StatusOK, &tokens)
	if len(tokens.Items) == 0 {
		f.platform.t.Fatalf("account %s has no token", account)
	}
	return tokens.Items[0].ID
}
