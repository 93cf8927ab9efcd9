package domain

import "time"

// ClearGrants empties the member stream of an account that has left the roster (its
// invitation revoked, its access request rejected), so that a later membership of the same
// account starts from nothing instead of inheriting the grants of the one that ended.
// Admins and above, or the system; a current member is invalid_transition (grants of a
// member are changed one by one), and nothing to clear changes nothing.
func (m *MemberAccess) ClearGrants(ws *Workspace, by Actor, now time.Time) ([]Event, error) {
	if !by.IsSystem() {
		if _, err := ws.requireRole(by, RoleAdmin, "clear the grants of a former member"); err != nil {
			return nil, err
		}
	} else if err := ws.requireExists(); err != nil {
		return nil, err
	}
	if e, on := ws.Member(m.accountID); on {
		return nil, conflict(CodeInvalidTransition, "account %s is a member (%s); change its grants one by one", m.accountID, e.Status)
	}
	if m.empty() {
		return nil, nil
	}
	return []Event{GrantsCleared{WorkspaceID: m.workspaceID, AccountID: m.accountID}}, nil
}

// empty reports whether the member holds no grant and no setting.
func (m *MemberAccess) empty() bool {
	return len(m.projects) == 0 && len(m.visas) == 0 && len(m.clients) == 0 && len(m.grant) == 0 &&
		len(m.deny) == 0 && len(m.scopes) == 0 && m.security == (SecuritySettings{}) && m.contract == (ContractInfo{})
}
