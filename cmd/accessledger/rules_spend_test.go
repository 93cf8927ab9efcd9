package main

import (
	nethttp "net/http"
	"testing"
)

// TestRuleSpendAccessFollowsProvidersAndAccounts: access to spend data follows the
// workspace's providers, cloud accounts and subscriptions, and its spend groups. A
// member with no spend grant has full access (reason full_access); once a member holds
// any, the grants decide. A grant on a provider or a cloud account covers everything
// under it, including subscriptions defined after the grant; a grant on a spend group
// covers what is assigned to it and everything under that.
func TestRuleSpendAccessFollowsProvidersAndAccounts(t *testing.T) {
	platform := startAPI(t)
	waitReady(t, platform.base)
	base, owner, _ := newWorkspace(platform, "Spend", 10, "owner@spend.example")
	invite := func(name string) string {
		id, _ := inviteAndAccept(owner, base, map[string]any{"email": name + "@spend.example", "first_name": "S", "last_name": name, "role": "member"})
		return id
	}
	full, byProvider, byAccount, byGroup := invite("full"), invite("provider"), invite("account"), invite("group")
	define := func(scope, parent string) {
		owner.call("PUT", base+"/spend-scopes/"+scope, map[string]string{"name": scope, "parent": parent}, nethttp.StatusOK, nil)
	}
	define("provider:aws", "")
	define("cloud_account:a-1", "provider:aws")
	define("subscription:s-1", "cloud_account:a-1")
	define("provider:gcp", "")
	define("cloud_account:g-1", "provider:gcp")
	define("subscription:g-s", "cloud_account:g-1")
	define("spend_group:ops", "")
	owner.call("PUT", base+"/spend-scopes/spend_group:ops/members/cloud_account:g-1", nil, nethttp.StatusOK, nil)
	grant := func(account, scope, level string) {
		owner.call("PUT", base+"/members/"+account+"/scopes/"+scope, map[string]string{"level": level}, nethttp.StatusOK, nil)
	}
	grant(byProvider, "provider:aws", "read")
	grant(byAccount, "cloud_account:a-1", "write")
	grant(byGroup, "spend_group:ops", "read")

	granted, noGrant := decision{Allowed: true, Reason: "granted"}, decision{Reason: "no_grant"}
	expect := func(t *testing.T, account, action string, want decision) {
		t.Helper()
		if got := check(owner, base, account, action); got != want {
			t.Errorf("%s: %+v, want %+v", action, got, want)
		}
	}
	t.Run("by default each member has full access", func(t *testing.T) {
		expect(t, full, "scope:subscription:s-1:write", decision{Allowed: true, Reason: "full_access"})
		expect(t, full, "scope:subscription:g-s:read", decision{Allowed: true, Reason: "full_access"})
	})
	t.Run("once any spend grant exists, the grants decide", func(t *testing.T) {
		expect(t, byProvider, "scope:subscription:g-s:read", noGrant)
		expect(t, byAccount, "scope:provider:aws:read", noGrant)
		expect(t, byGroup, "scope:subscription:s-1:read", noGrant)
	})
	t.Run("a provider grant covers its accounts and subscriptions", func(t *testing.T) {
		expect(t, byProvider, "scope:cloud_account:a-1:read", granted)
		expect(t, byProvider, "scope:subscription:s-1:read", granted)
		expect(t, byProvider, "scope:subscription:s-1:write", noGrant)
	})
	t.Run("an account grant covers its subscriptions", func(t *testing.T) {
		expect(t, byAccount, "scope:subscription:s-1:write", granted)
	})
	t.Run("a group grant covers what is assigned to it", func(t *testing.T) {
		expect(t, byGroup, "scope:cloud_account:g-1:read", granted)
		expect(t, byGroup, "scope:subscription:g-s:read", granted)
	})
	t.Run("subscriptions added after the grant are covered", func(t *testing.T) {
		define("cloud_account:a-2", "provider:aws")
		define("subscription:s-2", "cloud_account:a-2")
		define("subscription:s-3", "cloud_account:a-1")
		expect(t, byProvider, "scope:subscription:s-2:read", granted)
		expect(t, byAccount, "scope:subscription:s-3:write", granted)
		expect(t, byAccount, "scope:subscription:s-2:read", noGrant)
		owner.call("PUT", base+"/spend-scopes/spend_group:ops/members/subscription:s-2", nil, nethttp.StatusOK, nil)
		expect(t, byGroup, "scope:subscription:s-2:read", granted)
		owner.call("DELETE", base+"/spend-scopes/spend_group:ops/members/subscription:s-2", nil, nethttp.StatusOK, nil)
		expect(t, byGroup, "scope:subscription:s-2:read", noGrant)
	})
	t.Run("removing the last spend grant restores full access", func(t *testing.T) {
		grant(byProvider, "provider:aws", "none")
		expect(t, byProvider, "scope:subscription:g-s:write", decision{Allowed: true, Reason: "full_access"})
	})
	t.Run("spend access is by accounts or by custom groups, never both", func(t *testing.T) {
		spendAccess := func(account string) string {
			var d struct {
				SpendAccess string `json:"spend_access"`
			}
			owner.call("GET", base+"/members/"+account, nil, nethttp.StatusOK, &d)
			return d.SpendAccess
		}
		if got := [3]string{spendAccess(full), spendAccess(byAccount), spendAccess(byGroup)}; got != [3]string{"full", "accounts", "custom_groups"} {
			t.Errorf("spend_access of the full, account and group members: %v", got)
		}
		_, body := owner.try("PUT", base+"/members/"+byAccount+"/scopes/spend_group:ops", map[string]string{"level": "read"})
		if code := problemCode(t, body); code != "spend_access_mode" {
			t.Errorf("a group grant beside an account grant answered %s, want spend_access_mode", code)
		}
		owner.call("PUT", base+"/members/"+byGroup+"/scopes/provider:gcp", map[string]string{"level": "read"}, nethttp.StatusConflict, nil)
		expect(t, byGroup, "scope:provider:gcp:read", noGrant)
	})
	t.Run("spend scopes must be defined before they are granted, under the right parent", func(t *testing.T) {
		owner.call("PUT", base+"/members/"+full+"/scopes/subscription:nope", map[string]string{"level": "read"}, nethttp.StatusBadRequest, nil)
		owner.call("PUT", base+"/spend-scopes/subscription:s-9", map[string]string{"name": "S", "parent": "provider:aws"}, nethttp.StatusBadRequest, nil)
	})
}

// TestRuleCatalogVisibilityFollowsLegalEntities: by default a member sees the catalogs
// and documents of every legal entity; once granted one, only the entities granted.
func TestRuleCatalogVisibilityFollowsLegalEntities(t *testing.T) {
	platform := startAPI(t)
	waitReady(t, platform.base)
	base, owner, _ := newWorkspace(platform, "Entities", 10, "owner@entities.example")
	member, _ := inviteAndAccept(owner, base, map[string]any{"email": "buyer@entities.example", "first_name": "B", "last_name": "Uyer", "role": "member"})
	expect := func(action string, want decision) {
		t.Helper()
		if got := check(owner, base, member, action); got != want {
			t.Errorf("%s: %+v, want %+v", action, got, want)
		}
	}
	all := decision{Allowed: true, Reason: "full_access"}
	expect("scope:legal_entity:fi:read", all)
	expect("scope:legal_entity:ca:read", all)
	expect("scope:legal_entity:ca:write", decision{Reason: "no_grant"})
	owner.call("PUT", base+"/members/"+member+"/scopes/legal_entity:fi", map[string]string{"level": "read"}, nethttp.StatusOK, nil)
	expect("scope:legal_entity:fi:read", decision{Allowed: true, Reason: "granted"})
	expect("scope:legal_entity:ca:read", decision{Reason: "no_grant"})
	expect("scope:subscription:any:read", all) // spend data keeps its own default
	owner.call("PUT", base+"/members/"+member+"/scopes/legal_entity:fi", map[string]string{"level": "none"}, nethttp.StatusOK, nil)
	expect("scope:legal_entity:ca:read", all)
}
