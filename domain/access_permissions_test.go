package domain

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func overrides(grant, deny []string) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
	return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
		return m.SetPermissionOverrides(ws, by, SetPermissionOverrides{Grant: grant, Deny: deny}, now)
	}
}

func permissionsSet(grant, deny []string) []Event {
	return []Event{PermissionsSet{WorkspaceID: wsID, AccountID: targetID, Grant: grant, Deny: deny}}
}

func TestSetPermissionOverrides(t *testing.T) {
	world := accessWorld()
	many := make([]string, MaxOverrides+1)
	for i := range many {
		many[i] = fmt.Sprintf("feature_%d", i)
	}
	runAccess(t, []accessCase{
		{name: "stored sorted and de-duplicated", roster: world, by: byAdmin,
			when: overrides([]string{"orders.create", "billing.view", "orders.create"}, []string{"spend"}),
			then: permissionsSet([]string{"billing.view", "orders.create"}, []string{"spend"})},
		{name: "cleared", roster: world, given: permissionsSet([]string{"billing.view"}, []string{}), by: byAdmin,
			when: overrides(nil, nil), then: permissionsSet([]string{}, []string{})},
		{name: "the same sets in another order change nothing", roster: world, given: permissionsSet([]string{"a", "b"}, []string{"c"}), by: byAdmin,
			when: overrides([]string{"b", "a", "a"}, []string{"c"})},
		{name: "nothing over nothing changes nothing", roster: world, by: byAdmin, when: overrides(nil, []string{})},
		{name: "a key granted and denied", roster: world, by: byAdmin, when: overrides([]string{"billing.view"}, []string{"billing.view"}), err: CodeValidationFailed},
		{name: "a malformed key", roster: world, by: byAdmin, when: overrides([]string{"Billing View"}, nil), err: CodeValidationFailed},
		{name: "too many keys", roster: world, by: byAdmin, when: overrides(many, nil), err: CodeValidationFailed},
		{name: "exactly the maximum", roster: world, by: byAdmin, when: overrides(many[:MaxOverrides], nil),
			then: permissionsSet(slices.Sorted(slices.Values(many[:MaxOverrides])), []string{})},
	})
}

func TestSetPermissionOverridesNamesEveryBadKey(t *testing.T) {
	ws := replayWorkspace(accessWorld())
	cmd := SetPermissionOverrides{Grant: []string{"ok", "x..y", "billing"}, Deny: []string{"billing", "9lives"}}
	_, err := NewMemberAccess(wsID, targetID).SetPermissionOverrides(ws, byAdmin, cmd, now)
	want := []string{"grant[1]", "deny[1]", "deny[0]"}
	if got := fieldsOf(err); !slices.Equal(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
}

func TestSetScopeAccess(t *testing.T) {
	scope := func(s string, l ScopeLevel) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
		return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.SetScopeAccess(ws, by, SetScopeAccess{Scope: s, Level: l}, now)
		}
	}
	scopeSet := func(s string, l ScopeLevel) []Event {
		return []Event{ScopeSet{WorkspaceID: wsID, AccountID: targetID, Scope: s, Level: l}}
	}
	world := accessWorld()
	runAccess(t, []accessCase{
		{name: "set", roster: world, by: byAdmin, when: scope("company:acme", ScopeWrite), then: scopeSet("company:acme", ScopeWrite)},
		{name: "lowered", roster: world, given: scopeSet("folder:contracts", ScopeWrite), by: byAdmin, when: scope("folder:contracts", ScopeRead), then: scopeSet("folder:contracts", ScopeRead)},
		{name: "removed", roster: world, given: scopeSet("folder:contracts", ScopeRead), by: byAdmin, when: scope("folder:contracts", ScopeNone), then: scopeSet("folder:contracts", ScopeNone)},
		{name: "none over nothing changes nothing", roster: world, by: byAdmin, when: scope("company:acme", ScopeNone)},
		{name: "the same level changes nothing", roster: world, given: scopeSet("company:acme", ScopeRead), by: byAdmin, when: scope("company:acme", ScopeRead)},
		{name: "without a kind", roster: world, by: byAdmin, when: scope("acme", ScopeRead), err: CodeValidationFailed},
		{name: "with an upper-case id", roster: world, by: byAdmin, when: scope("company:ACME", ScopeRead), err: CodeValidationFailed},
		{name: "with an unknown level", roster: world, by: byAdmin, when: scope("company:acme", "admin"), err: CodeValidationFailed},
	})
}

func TestScopesFold(t *testing.T) {
	m := replayAccess(targetID, []Event{
		ScopeSet{WorkspaceID: wsID, AccountID: targetID, Scope: "company:acme", Level: ScopeWrite},
		ScopeSet{WorkspaceID: wsID, AccountID: targetID, Scope: "folder:hr", Level: ScopeRead},
		ScopeSet{WorkspaceID: wsID, AccountID: targetID, Scope: "folder:hr", Level: ScopeNone},
	})
	if m.Scope("company:acme") != ScopeWrite || m.Scope("folder:hr") != ScopeNone || len(m.Scopes()) != 1 {
		t.Fatalf("scopes %v", m.Scopes())
	}
}

// TestSetScopeAccessSpendMode: spend access is by accounts or by custom groups, never
// both; the member's grants of one mode go to none before the other mode is granted.
func TestSetScopeAccessSpendMode(t *testing.T) {
	scope := func(s string, l ScopeLevel) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
		return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.SetScopeAccess(ws, by, SetScopeAccess{Scope: s, Level: l}, now)
		}
	}
	scopeSet := func(s string, l ScopeLevel) Event {
		return ScopeSet{WorkspaceID: wsID, AccountID: targetID, Scope: s, Level: l}
	}
	world := slices.Concat(accessWorld(), spendTree())
	byAccounts := []Event{scopeSet("cloud_account:a-1", ScopeRead)}
	byGroups := []Event{scopeSet("spend_group:ops", ScopeRead)}
	runAccess(t, []accessCase{
		{name: "accounts from full access", roster: world, by: byAdmin, when: scope("provider:aws", ScopeRead),
			then: []Event{scopeSet("provider:aws", ScopeRead)}},
		{name: "more accounts", roster: world, given: byAccounts, by: byAdmin, when: scope("subscription:s-1", ScopeWrite),
			then: []Event{scopeSet("subscription:s-1", ScopeWrite)}},
		{name: "a group over accounts", roster: world, given: byAccounts, by: byAdmin, when: scope("spend_group:ops", ScopeRead),
			err: CodeSpendAccessMode},
		{name: "an account over groups", roster: world, given: byGroups, by: byAdmin, when: scope("provider:aws", ScopeRead),
			err: CodeSpendAccessMode},
		{name: "a group once the accounts are cleared", roster: world,
			given: append(slices.Clone(byAccounts), scopeSet("cloud_account:a-1", ScopeNone)), by: byAdmin,
			when: scope("spend_group:ops", ScopeRead), then: []Event{scopeSet("spend_group:ops", ScopeRead)}},
		{name: "clearing a group of the other mode", roster: world, given: byGroups, by: byAdmin, when: scope("spend_group:ops", ScopeNone),
			then: []Event{scopeSet("spend_group:ops", ScopeNone)}},
		{name: "other scopes are no spend mode", roster: world, given: byGroups, by: byAdmin, when: scope("company:acme", ScopeRead),
			then: []Event{scopeSet("company:acme", ScopeRead)}},
	})
}

func TestSpendAccessOf(t *testing.T) {
	tests := []struct {
		scopes map[string]ScopeLevel
		want   string
	}{
		{nil, SpendAccessFull},
		{map[string]ScopeLevel{"company:acme": ScopeRead}, SpendAccessFull},
		{map[string]ScopeLevel{"company:acme": ScopeRead, "subscription:s-1": ScopeRead}, SpendAccessAccounts},
		{map[string]ScopeLevel{"spend_group:ops": ScopeWrite}, SpendAccessGroups},
		{map[string]ScopeLevel{"spend_group:ops": ScopeWrite, "provider:aws": ScopeRead, "spend_group:fin": ScopeRead}, SpendAccessAccounts},
	}
	for _, tt := range tests {
		if got := SpendAccessOf(tt.scopes); got != tt.want {
			t.Errorf("SpendAccessOf(%v) = %s, want %s", tt.scopes, got, tt.want)
		}
	}
}
