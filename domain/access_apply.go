package domain

import (
	"maps"

	"github.com/google/uuid"
)

// Apply folds one event of the member stream into the state. It never fails; events of
// other streams are ignored.
func (m *MemberAccess) Apply(e Event) {
	if m.projects == nil {
		m.init() // a zero MemberAccess still folds without panicking
	}
	if _, cleared := e.(GrantsCleared); cleared {
		*m = MemberAccess{workspaceID: m.workspaceID, accountID: m.accountID}
		m.init()
		return
	}
	if !m.applyGrants(e) {
		m.applySettings(e)
	}
}

func (m *MemberAccess) applyGrants(e Event) bool {
	switch e := e.(type) {
	case ProjectRoleAssigned:
		m.projects[e.ProjectID] = e.Role
	case ProjectRoleRemoved:
		delete(m.projects, e.ProjectID)
	case VisaGranted:
		m.visas[e.CategoryID] = VisaGrant{VisaID: e.VisaID, ValidUntil: deref(e.ValidUntil)}
	case VisaRevoked:
		delete(m.visas, e.CategoryID)
	case VisaExpired:
		delete(m.visas, e.CategoryID)
	case ClientLinked:
		m.clients[e.ClientID] = true
	case ClientUnlinked:
		delete(m.clients, e.ClientID)
	default:
		return false
	}
	return true
}

func (m *MemberAccess) applySettings(e Event) {
	switch e := e.(type) {
	case PermissionsSet:
		m.setOverrides(e.Grant, e.Deny)
	case ScopeSet:
		m.setScope(e.Scope, e.Level)
	case PermissionsCopied:
		m.applyCopy(e)
	case SecuritySettingsSet:
		m.security = SecuritySettings{e.MFAEveryLogin, e.MFAAfterInactivityDays, e.BlockAfterInactivityDays, e.PasswordMaxAgeDays}
	case ContractInfoSet:
		m.contract = ContractInfo{Reference: e.Reference, EndsOn: e.EndsOn, Convention: e.Convention}
	}
}

func (m *MemberAccess) applyCopy(e PermissionsCopied) {
	m.projects = map[uuid.UUID]ProjectRole{}
	maps.Copy(m.projects, e.ProjectRoles)
	m.setOverrides(e.Grant, e.Deny)
	m.scopes = map[string]ScopeLevel{}
	for scope, level := range e.Scopes {
		m.setScope(scope, level)
	}
}

// setOverrides copies, so that the state never shares a slice with an event the caller holds.
func (m *MemberAccess) setOverrides(grant, deny []string) {
	m.grant = append([]string{}, grant...)
	m.deny = append([]string{}, deny...)
}

// setScope keeps only levels above none, so that "never set" and "set to none" are one state.
func (m *MemberAccess) setScope(scope string, level ScopeLevel) {
	if level == ScopeNone {
		delete(m.scopes, scope)
		return
	}
	m.scopes[scope] = level
}
