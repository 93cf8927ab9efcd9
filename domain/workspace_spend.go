package domain

import (
	"strings"
	"time"
)

// Kinds of spend scopes: the nodes of spend data a workspace defines and members are
// granted access to with SetScopeAccess. Providers hold cloud accounts (tenants), cloud
// accounts hold subscriptions; a spend group is a named set of cloud accounts and
// subscriptions.
const (
	SpendProvider     = "provider"
	SpendCloudAccount = "cloud_account"
	SpendSubscription = "subscription"
	SpendGroup        = "spend_group"
)

// spendParentKind answers the kind a scope of kind must sit under ("" when it has no
// parent), and whether kind is a spend kind at all.
func spendParentKind(kind string) (string, bool) {
	switch kind {
	case SpendProvider, SpendGroup:
		return "", true
	case SpendCloudAccount:
		return SpendProvider, true
	case SpendSubscription:
		return SpendCloudAccount, true
	}
	return "", false
}

// IsSpendScope reports whether scope ("kind:id") names spend data: its kind is provider,
// cloud_account, subscription or spend_group.
func IsSpendScope(scope string) bool {
	kind, _, _ := strings.Cut(scope, ":")
	_, ok := spendParentKind(kind)
	return ok
}

// Modes of a member's access to spend data, the product's three options, one at a time:
// full access (no spend grant, every member's default), by accounts (grants on
// providers, cloud accounts and subscriptions, each covering what is added under it
// later), or by custom groups (grants on spend groups).
const (
	SpendAccessFull     = "full"
	SpendAccessAccounts = "accounts"
	SpendAccessGroups   = "custom_groups"
)

// SpendAccessOf answers the mode of spend access that a member's scopes (scope: level
// above none) amount to. A member who holds grants of both modes (given before modes
// were enforced) counts as by accounts, so that the answer never depends on map order.
func SpendAccessOf(scopes map[string]ScopeLevel) string {
	mode := SpendAccessFull
	for scope := range scopes {
		switch spendModeOf(scope) {
		case SpendAccessAccounts:
			return SpendAccessAccounts
		case SpendAccessGroups:
			mode = SpendAccessGroups
		}
	}
	return mode
}

// spendModeOf answers the mode a grant on scope belongs to, "" for a scope that is no
// spend data.
func spendModeOf(scope string) string {
	kind, _, _ := strings.Cut(scope, ":")
	switch _, spend := spendParentKind(kind); {
	case kind == SpendGroup:
		return SpendAccessGroups
	case spend:
		return SpendAccessAccounts
	}
	return ""
}

// SpendNode is one spend scope the workspace defines.
type SpendNode struct {
	Name   string
	Parent string          // the scope it sits under; empty for providers and groups
	Groups map[string]bool // the spend groups it is assigned to
}

// SpendScope answers a defined spend scope, and whether it is defined.
func (w *Workspace) SpendScope(scope string) (SpendNode, bool) {
	n, ok := w.spend[scope]
	if !ok {
		return SpendNode{}, false
	}
	return *n, true
}

// DefineSpendScope defines a provider, cloud account, subscription or spend group. Scope
// is "kind:id"; Parent is the provider of a cloud account or the cloud account of a
// subscription, and empty for the other kinds.
type DefineSpendScope struct {
	Scope  string
	Parent string
	Name   string
}

// DefineSpendScope decides defining a spend scope; admins and above. The parent must be
// defined first; the same definition again changes nothing, another one for a defined
// scope is refused (a scope never moves, so that grants on its ancestors keep meaning
// what they meant).
func (w *Workspace) DefineSpendScope(by Actor, cmd DefineSpendScope, now time.Time) ([]Event, error) {
	if err := w.validateSpendScope(cmd); err != nil {
		return nil, err
	}
	if _, err := w.requireRole(by, RoleAdmin, "define a spend scope"); err != nil {
		return nil, err
	}
	if n, ok := w.spend[cmd.Scope]; ok {
		if n.Parent == cmd.Parent && n.Name == cmd.Name {
			return nil, nil
		}
		return nil, conflict(CodeAlreadyExists, "spend scope %s is already defined", cmd.Scope)
	}
	return []Event{SpendScopeDefined{Scope: cmd.Scope, Parent: cmd.Parent, Name: cmd.Name}}, nil
}

func (w *Workspace) validateSpendScope(cmd DefineSpendScope) error {
	var v validator
	v.match("scope", cmd.Scope, scopePattern, "kind:id, such as subscription:s-1")
	v.name("name", cmd.Name)
	kind, _, _ := strings.Cut(cmd.Scope, ":")
	parentKind, ok := spendParentKind(kind)
	switch {
	case !ok:
		v.fail("scope", "the kind must be one of provider, cloud_account, subscription, spend_group")
	case parentKind == "" && cmd.Parent != "":
		v.fail("parent", "a %s has no parent", kind)
	case parentKind != "" && !strings.HasPrefix(cmd.Parent, parentKind+":"):
		v.fail("parent", "a %s needs a parent %s:<id>", kind, parentKind)
	case parentKind != "" && w.spend[cmd.Parent] == nil:
		v.fail("parent", "no such spend scope in this workspace")
	}
	return v.err()
}

// GroupSpendScope assigns a cloud account or subscription to a spend group, or takes it
// out of the group (Remove).
type GroupSpendScope struct {
	Group  string
	Scope  string
	Remove bool
}

// GroupSpendScope decides a group assignment; admins and above. Both must be defined;
// assigning what is assigned, or removing what is not, changes nothing.
func (w *Workspace) GroupSpendScope(by Actor, cmd GroupSpendScope, now time.Time) ([]Event, error) {
	var v validator
	if !strings.HasPrefix(cmd.Group, SpendGroup+":") || w.spend[cmd.Group] == nil {
		v.fail("group", "no such spend group in this workspace")
	}
	kind, _, _ := strings.Cut(cmd.Scope, ":")
	if (kind != SpendCloudAccount && kind != SpendSubscription) || w.spend[cmd.Scope] == nil {
		v.fail("scope", "no such cloud account or subscription in this workspace")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := w.requireRole(by, RoleAdmin, "assign spend groups"); err != nil {
		return nil, err
	}
	if w.spend[cmd.Scope].Groups[cmd.Group] != cmd.Remove {
		return nil, nil
	}
	if cmd.Remove {
		return []Event{SpendScopeUngrouped{Group: cmd.Group, Scope: cmd.Scope}}, nil
	}
	return []Event{SpendScopeGrouped{Group: cmd.Group, Scope: cmd.Scope}}, nil
}

// applySpend folds the spend events into the state and reports whether e was one.
func (w *Workspace) applySpend(e Event) bool {
	switch e := e.(type) {
	case SpendScopeDefined:
		if w.spend == nil {
			w.spend = map[string]*SpendNode{}
		}
		w.spend[e.Scope] = &SpendNode{Name: e.Name, Parent: e.Parent, Groups: map[string]bool{}}
	case SpendScopeGrouped:
		if n := w.spend[e.Scope]; n != nil {
			n.Groups[e.Group] = true
		}
	case SpendScopeUngrouped:
		if n := w.spend[e.Scope]; n != nil {
			delete(n.Groups, e.Group)
		}
	default:
		return false
	}
	return true
}
