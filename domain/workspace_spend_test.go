package domain

import (
	"slices"
	"testing"
	"time"
)

// spendTree is a provider with a cloud account with a subscription, and a spend group.
func spendTree() []Event {
	return []Event{
		SpendScopeDefined{Scope: "provider:aws", Name: "AWS"},
		SpendScopeDefined{Scope: "cloud_account:a-1", Parent: "provider:aws", Name: "Prod"},
		SpendScopeDefined{Scope: "subscription:s-1", Parent: "cloud_account:a-1", Name: "Web"},
		SpendScopeDefined{Scope: "spend_group:ops", Name: "Ops"},
	}
}

func defineSpend(scope, parent, name string) func(*Workspace, Actor, time.Time) ([]Event, error) {
	return func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.DefineSpendScope(by, DefineSpendScope{Scope: scope, Parent: parent, Name: name}, now)
	}
}

func groupSpend(group, scope string, remove bool) func(*Workspace, Actor, time.Time) ([]Event, error) {
	return func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.GroupSpendScope(by, GroupSpendScope{Group: group, Scope: scope, Remove: remove}, now)
	}
}

func TestDefineSpendScope(t *testing.T) {
	tree := slices.Concat(staff(), spendTree())
	defined := func(scope, parent, name string) []Event {
		return []Event{SpendScopeDefined{Scope: scope, Parent: parent, Name: name}}
	}
	runRoster(t, []rosterCase{
		{name: "a provider", given: staff(), by: byAdmin, when: defineSpend("provider:azure", "", "Azure"), then: defined("provider:azure", "", "Azure")},
		{name: "a cloud account under a provider", given: tree, by: byAdmin, when: defineSpend("cloud_account:a-2", "provider:aws", "Dev"), then: defined("cloud_account:a-2", "provider:aws", "Dev")},
		{name: "a subscription under a cloud account", given: tree, by: byAdmin, when: defineSpend("subscription:s-2", "cloud_account:a-1", "Api"), then: defined("subscription:s-2", "cloud_account:a-1", "Api")},
		{name: "a spend group", given: staff(), by: byAdmin, when: defineSpend("spend_group:fin", "", "Finance"), then: defined("spend_group:fin", "", "Finance")},
		{name: "the same definition again changes nothing", given: tree, by: byAdmin, when: defineSpend("cloud_account:a-1", "provider:aws", "Prod")},
		{name: "another definition of a defined scope", given: tree, by: byAdmin, when: defineSpend("cloud_account:a-1", "provider:aws", "Other"), err: CodeAlreadyExists},
		{name: "a subscription under an undefined cloud account", given: tree, by: byAdmin, when: defineSpend("subscription:s-2", "cloud_account:nope", "Api"), err: CodeValidationFailed},
		{name: "a subscription directly under a provider", given: tree, by: byAdmin, when: defineSpend("subscription:s-2", "provider:aws", "Api"), err: CodeValidationFailed},
		{name: "a cloud account without a provider", given: tree, by: byAdmin, when: defineSpend("cloud_account:a-2", "", "Dev"), err: CodeValidationFailed},
		{name: "a provider with a parent", given: tree, by: byAdmin, when: defineSpend("provider:gcp", "provider:aws", "GCP"), err: CodeValidationFailed},
		{name: "a kind that is not spend data", given: staff(), by: byAdmin, when: defineSpend("company:acme", "", "Acme"), err: CodeValidationFailed},
		{name: "without a name", given: staff(), by: byAdmin, when: defineSpend("provider:aws", "", ""), err: CodeValidationFailed},
		{name: "by a manager", given: staff(), by: actorOf(managerID), when: defineSpend("provider:aws", "", "AWS"), err: CodeForbidden},
	})
}

func TestGroupSpendScope(t *testing.T) {
	tree := slices.Concat(staff(), spendTree())
	grouped := slices.Concat(tree, []Event{SpendScopeGrouped{Group: "spend_group:ops", Scope: "cloud_account:a-1"}})
	runRoster(t, []rosterCase{
		{name: "a cloud account", given: tree, by: byAdmin, when: groupSpend("spend_group:ops", "cloud_account:a-1", false),
			then: []Event{SpendScopeGrouped{Group: "spend_group:ops", Scope: "cloud_account:a-1"}}},
		{name: "a subscription", given: tree, by: byAdmin, when: groupSpend("spend_group:ops", "subscription:s-1", false),
			then: []Event{SpendScopeGrouped{Group: "spend_group:ops", Scope: "subscription:s-1"}}},
		{name: "again changes nothing", given: grouped, by: byAdmin, when: groupSpend("spend_group:ops", "cloud_account:a-1", false)},
		{name: "removed", given: grouped, by: byAdmin, when: groupSpend("spend_group:ops", "cloud_account:a-1", true),
			then: []Event{SpendScopeUngrouped{Group: "spend_group:ops", Scope: "cloud_account:a-1"}}},
		{name: "removing what is not assigned changes nothing", given: tree, by: byAdmin, when: groupSpend("spend_group:ops", "cloud_account:a-1", true)},
		{name: "a provider", given: tree, by: byAdmin, when: groupSpend("spend_group:ops", "provider:aws", false), err: CodeValidationFailed},
		{name: "into an undefined group", given: tree, by: byAdmin, when: groupSpend("spend_group:nope", "subscription:s-1", false), err: CodeValidationFailed},
		{name: "an undefined subscription", given: tree, by: byAdmin, when: groupSpend("spend_group:ops", "subscription:nope", false), err: CodeValidationFailed},
		{name: "by a member", given: tree, by: actorOf(memberID), when: groupSpend("spend_group:ops", "subscription:s-1", false), err: CodeForbidden},
	})
}

func TestSpendScopeFold(t *testing.T) {
	w := replayWorkspace(slices.Concat(staff(), spendTree(), []Event{
		SpendScopeGrouped{Group: "spend_group:ops", Scope: "subscription:s-1"},
		SpendScopeGrouped{Group: "spend_group:ops", Scope: "cloud_account:a-1"},
		SpendScopeUngrouped{Group: "spend_group:ops", Scope: "cloud_account:a-1"},
	}))
	s, ok := w.SpendScope("subscription:s-1")
	if !ok || s.Parent != "cloud_account:a-1" || s.Name != "Web" || !s.Groups["spend_group:ops"] {
		t.Fatalf("subscription reads as %+v, %v", s, ok)
	}
	if a, _ := w.SpendScope("cloud_account:a-1"); len(a.Groups) != 0 {
		t.Fatalf("ungrouped cloud account still in %v", a.Groups)
	}
	if _, ok := w.SpendScope("provider:gcp"); ok {
		t.Fatal("an undefined provider reads as defined")
	}
}

func TestSetScopeAccessOnSpendScopes(t *testing.T) {
	scope := func(s string, l ScopeLevel) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
		return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.SetScopeAccess(ws, by, SetScopeAccess{Scope: s, Level: l}, now)
		}
	}
	set := func(s string, l ScopeLevel) []Event {
		return []Event{ScopeSet{WorkspaceID: wsID, AccountID: targetID, Scope: s, Level: l}}
	}
	world := slices.Concat(accessWorld(), spendTree())
	runAccess(t, []accessCase{
		{name: "a defined provider", roster: world, by: byAdmin, when: scope("provider:aws", ScopeRead), then: set("provider:aws", ScopeRead)},
		{name: "a defined group", roster: world, by: byAdmin, when: scope("spend_group:ops", ScopeWrite), then: set("spend_group:ops", ScopeWrite)},
		{name: "an undefined subscription", roster: world, by: byAdmin, when: scope("subscription:nope", ScopeRead), err: CodeValidationFailed},
		{name: "none on an undefined scope changes nothing", roster: world, by: byAdmin, when: scope("subscription:nope", ScopeNone)},
		{name: "other kinds need no definition", roster: world, by: byAdmin, when: scope("company:acme", ScopeRead), then: set("company:acme", ScopeRead)},
	})
}
