package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// MaxOverrides bounds each list of feature permission overrides.
const MaxOverrides = 200

// SetPermissionOverrides replaces the member's feature permission overrides: keys in
// Grant are allowed and keys in Deny refused, whatever the role's defaults say.
type SetPermissionOverrides struct {
	Grant []string
	Deny  []string
}

func (c SetPermissionOverrides) validate() error {
	var v validator
	v.featureKeys("grant", c.Grant)
	v.featureKeys("deny", c.Deny)
	for i, key := range c.Deny {
		if slices.Contains(c.Grant, key) {
			v.fail(fmt.Sprintf("deny[%d]", i), "%q is also granted; a key is either granted or denied", key)
		}
	}
	return v.err()
}

func (v *validator) featureKeys(field string, keys []string) {
	if len(keys) > MaxOverrides {
		v.fail(field, "has %d keys, at most %d", len(keys), MaxOverrides)
		return
	}
	for i, key := range keys {
		if len(key) > MaxFeatureKeyLen || !featureKeyPattern.MatchString(key) {
			v.fail(fmt.Sprintf("%s[%d]", field, i), "must be a dotted lowercase feature key such as billing.invoices, at most %d bytes", MaxFeatureKeyLen)
		}
	}
}

// normalizeKeys answers keys sorted and without duplicates, never nil, so that equal sets
// of overrides always produce equal events.
func normalizeKeys(keys []string) []string {
	out := append([]string{}, keys...)
	slices.Sort(out)
	return slices.Compact(out)
}

// SetPermissionOverrides replaces the overrides, stored sorted and de-duplicated; admins
// and above. The same sets again change nothing.
func (m *MemberAccess) SetPermissionOverrides(ws *Workspace, by Actor, cmd SetPermissionOverrides, now time.Time) ([]Event, error) {
	if err := cmd.validate(); err != nil {
		return nil, err
	}
	if err := m.authorize(ws, by, "set permission overrides"); err != nil {
		return nil, err
	}
	grant, deny := normalizeKeys(cmd.Grant), normalizeKeys(cmd.Deny)
	if slices.Equal(grant, m.grant) && slices.Equal(deny, m.deny) {
		return nil, nil
	}
	return []Event{PermissionsSet{WorkspaceID: m.workspaceID, AccountID: m.accountID, Grant: grant, Deny: deny}}, nil
}

// SetScopeAccess sets the member's level on one scope, written "kind:id" (company:acme,
// folder:contracts). Spend scopes (provider, cloud_account, subscription, spend_group)
// must be defined by the workspace first; a level on one covers every scope under it.
type SetScopeAccess struct {
	Scope string
	Level ScopeLevel
}

// SetScopeAccess sets a scope level; admins and above. The current level again changes
// nothing; ScopeNone removes the scope. A spend grant of the other mode than the
// member's spend access (accounts, custom groups: see SpendAccessOf) is refused with
// CodeSpendAccessMode: the member's grants of that mode go to none first.
func (m *MemberAccess) SetScopeAccess(ws *Workspace, by Actor, cmd SetScopeAccess, now time.Time) ([]Event, error) {
	var v validator
	v.match("scope", cmd.Scope, scopePattern, "kind:id, such as company:acme")
	if !cmd.Level.Valid() {
		v.fail("level", "must be one of none, read, write")
	}
	if _, defined := ws.spend[cmd.Scope]; IsSpendScope(cmd.Scope) && !defined && cmd.Level != ScopeNone {
		v.fail("scope", "no such spend scope in this workspace; define it first")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := m.authorize(ws, by, "set scope access"); err != nil {
		return nil, err
	}
	if m.Scope(cmd.Scope) == cmd.Level {
		return nil, nil
	}
	if mode, held := spendModeOf(cmd.Scope), SpendAccessOf(m.scopes); mode != "" && cmd.Level != ScopeNone && held != SpendAccessFull && held != mode {
		return nil, conflict(CodeSpendAccessMode, "the member's spend access is by %s: set those grants to none before granting %s",
			strings.ReplaceAll(held, "_", " "), strings.ReplaceAll(mode, "_", " "))
	}
	return []Event{ScopeSet{WorkspaceID: m.workspaceID, AccountID: m.accountID, Scope: cmd.Scope, Level: cmd.Level}}, nil
}
