package domain

import (
	"fmt"

	"github.com/google/uuid"
)

// Who may change a member's grants, and when the grants may change at all. Authority is
// checked before the member is looked up, so that outsiders cannot probe the roster.

// authorize admits admins and above, acting on a member they reach.
func (m *MemberAccess) authorize(ws *Workspace, by Actor, verb string) error {
	role, err := ws.requireRole(by, RoleAdmin, verb)
	if err != nil {
		return err
	}
	target, err := m.subject(ws)
	if err != nil {
		return err
	}
	return reaches(role, target)
}

// authorizeProject admits admins and above, and project admins of the project acting on
// an active member below admin (docs/domain.md, who may do what: a project admin adds existing active members
// to the project, changes their role in it, removes them from it; nothing else).
func (m *MemberAccess) authorizeProject(ws *Workspace, by Actor, project uuid.UUID, verb string) error {
	role, err := ws.authority(by)
	if err != nil {
		return err
	}
	isAdmin := role.AtLeast(RoleAdmin)
	if !isAdmin && by.ProjectRoles[project] != ProjectAdmin {
		return forbidden("only admins, or project admins of project %s, may %s", project, verb)
	}
	target, err := m.subject(ws)
	switch {
	case err != nil:
		return err
	case isAdmin:
		return reaches(role, target)
	case target.Status != StatusActive:
		return forbidden("project admins manage only active members; this member is %s", target.Status)
	case target.Role.AtLeast(RoleAdmin):
		return forbidden("project admins may not manage workspace admins or the owner")
	}
	return nil
}

// subject answers the member's roster entry; a member off the roster is not_found and a
// deactivated, deleted or purged one is member_frozen.
func (m *MemberAccess) subject(ws *Workspace) (RosterEntry, error) {
	if ws.id != m.workspaceID {
		// A caller bug, not a user error: never let one workspace's roster decide another's grants.
		return RosterEntry{}, fmt.Errorf("domain: access of workspace %s decided against workspace %s", m.workspaceID, ws.id)
	}
	target, err := ws.onRoster(m.accountID)
	if err != nil {
		return RosterEntry{}, err
	}
	if target.Status.Frozen() {
		return RosterEntry{}, memberFrozen(target.Status)
	}
	return target, nil
}
