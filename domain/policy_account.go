package domain

import "github.com/google/uuid"

// Who may read and change an account's details (docs/domain.md, who may do what). An
// account is not a workspace's: it belongs to its holder and may be a member of several
// workspaces. An admin's authority over it comes from a membership the admin reaches, and
// lets the admin change its details only while that membership may be edited.

// adminHold answers the status of account's membership of w when the actor, an active
// admin or owner of w (or a platform admin), reaches it; ok is false otherwise. A purged
// membership is gone and holds nothing.
func (w *Workspace) adminHold(by Actor, account uuid.UUID) (status MemberStatus, ok bool) {
	role, err := w.requireRole(by, RoleAdmin, "manage accounts")
	if err != nil {
		return "", false
	}
	target, found := w.roster[account]
	if !found || target.Status == StatusPurged || reaches(role, *target) != nil {
		return "", false
	}
	return target.Status, true
}

// managesAccount reports whether the actor administers a workspace in which the account is
// a member, in any status but purged, that the actor reaches, and so may read the account's
// profile. A deactivated or deleted member stays readable, as the member list shows it,
// until restored or purged; whether its details may change is AuthorizeAccountChange's.
func (w *Workspace) managesAccount(by Actor, account uuid.UUID) bool {
	_, ok := w.adminHold(by, account)
	return ok
}

// AuthorizeAccountChange decides whether by may change account's details (names, phone,
// email), given the workspaces the account is a member of (shared):
//
//   - the account holder and platform admins may, whatever the memberships' statuses: a
//     frozen membership freezes what a workspace's admins do, not the person's own account;
//   - an admin or owner may through a membership they reach that may be edited (not
//     deactivated, deleted or purged);
//   - when every membership the actor reaches is frozen, the answer is member_frozen;
//   - anyone else is forbidden.
func AuthorizeAccountChange(by Actor, account uuid.UUID, shared []*Workspace) error {
	if by.PlatformAdmin || (!by.IsSystem() && by.AccountID == account) {
		return nil
	}
	var frozen MemberStatus
	for _, w := range shared {
		status, ok := w.adminHold(by, account)
		switch {
		case !ok:
		case !status.Frozen():
			return nil
		default:
			frozen = status
		}
	}
	if frozen != "" {
		return memberFrozen(frozen)
	}
	return forbidden("only the account itself, a platform admin, or an admin of a workspace it belongs to may change this account")
}
