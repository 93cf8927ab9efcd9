package domain

import "github.com/google/uuid"

// Who may do what (docs/domain.md). Every check reads the roster in the state the decision is
// given, which the caller loaded at decision time, never a read model.
//
//   - a platform admin acts with owner authority in every workspace;
//   - anyone else acts with their workspace role, and only while an active member;
//   - the system actor acts only where a command says so (purges, visa expiry).

// requireExists refuses commands on a workspace that was never created, or that was
// deleted (workspace_delete.go).
func (w *Workspace) requireExists() error {
	if !w.exists {
		return notFound("workspace not found")
	}
	return w.refuseDeleted()
}

// authority answers the workspace role the actor acts with.
func (w *Workspace) authority(by Actor) (WorkspaceRole, error) {
	if err := w.requireExists(); err != nil {
		return "", err
	}
	if by.PlatformAdmin {
		return RoleOwner, nil
	}
	if by.IsSystem() {
		return "", forbidden("the system actor only runs scheduled work (purges, visa expiry)")
	}
	e, ok := w.roster[by.AccountID]
	if !ok || e.Status != StatusActive {
		return "", forbidden("you are not an active member of this workspace")
	}
	return e.Role, nil
}

// requireRole answers the actor's role if it reaches min; verb names the act in the
// refusal ("only members with the admin role or above may invite members").
func (w *Workspace) requireRole(by Actor, min WorkspaceRole, verb string) (WorkspaceRole, error) {
	role, err := w.authority(by)
	if err != nil {
		return "", err
	}
	if !role.AtLeast(min) {
		return "", forbidden("only %s may %s; you act as %s", roleAndAbove(min), verb, role)
	}
	return role, nil
}

func roleAndAbove(r WorkspaceRole) string {
	if r == RoleOwner {
		return "the owner"
	}
	return "members with the " + string(r) + " role or above"
}

// requireSystem admits only the system actor, for scheduled work no person may trigger early.
func (w *Workspace) requireSystem(by Actor, verb string) error {
	if err := w.requireExists(); err != nil {
		return err
	}
	if !by.IsSystem() {
		return forbidden("only the system may %s", verb)
	}
	return nil
}

// requireSelf admits only the account a command is about, such as an invitee accepting.
func (w *Workspace) requireSelf(by Actor, account uuid.UUID, verb string) error {
	if err := w.requireExists(); err != nil {
		return err
	}
	if by.IsSystem() || by.AccountID != account {
		return forbidden("only the account itself may %s", verb)
	}
	return nil
}

// reaches refuses acting on a member who ranks above the actor: admins may act on other
// admins, never on the owner.
func reaches(actor WorkspaceRole, target RosterEntry) error {
	if target.Role.Rank() > actor.Rank() {
		return forbidden("as %s you may not act on the %s", actor, target.Role)
	}
	return nil
}

// mayAssign refuses handing out a role above the actor's own.
func mayAssign(actor, role WorkspaceRole) error {
	if role.Rank() > actor.Rank() {
		return forbidden("as %s you may not give the %s role", actor, role)
	}
	return nil
}

// onRoster answers an account's roster entry, or not_found.
func (w *Workspace) onRoster(account uuid.UUID) (RosterEntry, error) {
	e, ok := w.Member(account)
	if !ok {
		return RosterEntry{}, notFound("account %s is not a member of this workspace", account)
	}
	return e, nil
}

// MayReadHistory reports whether an actor may read the workspace's raw streams and
// activity log: the owner, admins and auditors, and platform admins.
func (w *Workspace) MayReadHistory(by Actor) bool {
	role, err := w.authority(by)
	return err == nil && (role.AtLeast(RoleAdmin) || role == RoleAuditor)
}
