package access_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/access"
	"accessledger/projections/projectiontest"
	"accessledger/projections/spend"
)

// spendFixture is an access-check world with the spend read model installed beside it:
// a provider aws with cloud accounts a-1 (subscription s-1) and a-2 (subscription s-2),
// a provider gcp with cloud account g-1 (subscription g-s), and a spend group ops holding
// s-2 and cloud account g-1.
type spendFixture struct {
	*projectiontest.World
	spendSchema string
	applied     int // events of the world applied to both read models so far
	full        uuid.UUID
	provider    uuid.UUID
	account     uuid.UUID
	group       uuid.UUID
	other       uuid.UUID
}

func newSpendFixture(t *testing.T, size int) *spendFixture {
	t.Helper()
	w := projectiontest.NewWorld(projectiontest.NewGiven(t, access.AccessCheck{}))
	schema, err := projections.InstallForTest(context.Background(), w.G.Pool, spend.SpendScopes{})
	if err != nil {
		t.Fatal(err)
	}
	f := &spendFixture{World: w, spendSchema: schema}
	f.define("provider:aws", "")
	f.define("cloud_account:a-1", "provider:aws")
	f.define("subscription:s-1", "cloud_account:a-1")
	f.define("cloud_account:a-2", "provider:aws")
	f.define("subscription:s-2", "cloud_account:a-2")
	f.define("provider:gcp", "")
	f.define("cloud_account:g-1", "provider:gcp")
	f.define("subscription:g-s", "cloud_account:g-1")
	f.define("spend_group:ops", "")
	w.WsEvent(domain.SpendScopeGrouped{Group: "spend_group:ops", Scope: "subscription:s-2"})
	w.WsEvent(domain.SpendScopeGrouped{Group: "spend_group:ops", Scope: "cloud_account:g-1"})
	f.full, f.provider, f.account = w.Join(domain.RoleMember), w.Join(domain.RoleMember), w.Join(domain.RoleViewer)
	f.group, f.other = w.Join(domain.RoleAdmin), w.Join(domain.RoleMember)
	f.scope(f.provider, "provider:aws", domain.ScopeRead)
	f.scope(f.account, "cloud_account:a-1", domain.ScopeWrite)
	f.scope(f.group, "spend_group:ops", domain.ScopeRead)
	f.scope(f.other, "company:acme", domain.ScopeRead) // not spend data: full access stays
	f.scope(f.full, "provider:gcp", domain.ScopeRead)
	f.scope(f.full, "provider:gcp", domain.ScopeNone) // no spend grant left: full access again
	f.apply(size)
	return f
}

func (f *spendFixture) define(scope, parent string) {
	f.WsEvent(domain.SpendScopeDefined{Scope: scope, Parent: parent, Name: scope})
}

func (f *spendFixture) scope(account uuid.UUID, scope string, level domain.ScopeLevel) {
	f.Access(account, domain.ScopeSet{WorkspaceID: f.WS, AccountID: account, Scope: scope, Level: level})
}

// apply applies the events written since the last apply to both read models, in
// batches of size (0: one batch).
func (f *spendFixture) apply(size int) {
	f.t().Helper()
	events := f.Events[f.applied:]
	f.applied = len(f.Events)
	f.G.Apply(size, events...)
	if size == 0 {
		size = len(events)
	}
	for start := 0; start < len(events); start += size {
		end := min(start+size, len(events))
		if err := projections.ApplyForTest(context.Background(), f.G.Pool, spend.SpendScopes{}, f.spendSchema, events[start:end]); err != nil {
			f.t().Fatalf("apply spend events %d..%d: %v", start, end-1, err)
		}
	}
}

func (f *spendFixture) t() *testing.T { return f.G.T }

func (f *spendFixture) check(t *testing.T, cases []checkCase) {
	t.Helper()
	(&fixture{World: f.World}).check(t, cases)
}

func TestCheckAccessSpendScopes(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		f := newSpendFixture(t, size)
		f.check(t, []checkCase{
			{name: "no spend grant: full access", account: f.full, action: "scope:subscription:s-1:write", allowed: true, reason: access.ReasonFullAccess},
			{name: "no spend grant: undefined scope", account: f.full, action: "scope:provider:nope:read", allowed: true, reason: access.ReasonFullAccess},
			{name: "other scopes keep no default", account: f.full, action: "scope:company:acme:read", reason: access.ReasonNoGrant},
			{name: "a grant on another kind keeps full access", account: f.other, action: "scope:cloud_account:g-1:write", allowed: true, reason: access.ReasonFullAccess},
			{name: "provider: itself", account: f.provider, action: "scope:provider:aws:read", allowed: true, reason: access.ReasonGranted},
			{name: "provider: its cloud account", account: f.provider, action: "scope:cloud_account:a-2:read", allowed: true, reason: access.ReasonGranted},
			{name: "provider: its subscription", account: f.provider, action: "scope:subscription:s-1:read", allowed: true, reason: access.ReasonGranted},
			{name: "provider: read does not write", account: f.provider, action: "scope:subscription:s-1:write", reason: access.ReasonNoGrant},
			{name: "provider: another provider's", account: f.provider, action: "scope:subscription:g-s:read", reason: access.ReasonNoGrant},
			{name: "cloud account: its subscription, write", account: f.account, action: "scope:subscription:s-1:write", allowed: true, reason: access.ReasonGranted},
			{name: "cloud account: its subscription, read", account: f.account, action: "scope:subscription:s-1:read", allowed: true, reason: access.ReasonGranted},
			{name: "cloud account: not its provider", account: f.account, action: "scope:provider:aws:read", reason: access.ReasonNoGrant},
			{name: "cloud account: a sibling's subscription", account: f.account, action: "scope:subscription:s-2:read", reason: access.ReasonNoGrant},
			{name: "group: a subscription in it", account: f.group, action: "scope:subscription:s-2:read", allowed: true, reason: access.ReasonGranted},
			{name: "group: a cloud account in it", account: f.group, action: "scope:cloud_account:g-1:read", allowed: true, reason: access.ReasonGranted},
			{name: "group: under a cloud account in it", account: f.group, action: "scope:subscription:g-s:read", allowed: true, reason: access.ReasonGranted},
			{name: "group: not in it", account: f.group, action: "scope:subscription:s-1:read", reason: access.ReasonNoGrant},
			{name: "group: read does not write", account: f.group, action: "scope:subscription:s-2:write", reason: access.ReasonNoGrant},
		})

		// Scopes added after the grants are covered by them; a subscription taken out of
		// the group is not any more.
		f.define("subscription:s-3", "cloud_account:a-1")
		f.define("cloud_account:a-3", "provider:aws")
		f.define("subscription:s-4", "cloud_account:a-3")
		f.WsEvent(domain.SpendScopeUngrouped{Group: "spend_group:ops", Scope: "subscription:s-2"})
		f.WsEvent(domain.SpendScopeGrouped{Group: "spend_group:ops", Scope: "subscription:s-4"})
		f.apply(size)
		f.check(t, []checkCase{
			{name: "later: provider covers a new cloud account's subscription", account: f.provider, action: "scope:subscription:s-4:read", allowed: true, reason: access.ReasonGranted},
			{name: "later: cloud account covers a new subscription", account: f.account, action: "scope:subscription:s-3:write", allowed: true, reason: access.ReasonGranted},
			{name: "later: group covers a newly assigned subscription", account: f.group, action: "scope:subscription:s-4:read", allowed: true, reason: access.ReasonGranted},
			{name: "later: group no longer covers a removed one", account: f.group, action: "scope:subscription:s-2:read", reason: access.ReasonNoGrant},
		})
	}
}
