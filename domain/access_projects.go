package domain

import (
	"time"

	"github.com/google/uuid"
)

// AssignProjectRole gives the member a role in a project.
type AssignProjectRole struct {
	ProjectID uuid.UUID
	Role      ProjectRole
}

// AssignProjectRole gives or changes the member's role in a project that exists and is
// not archived; admins and above, or project admins of the project for active members.
func (m *MemberAccess) AssignProjectRole(ws *Workspace, by Actor, cmd AssignProjectRole, now time.Time) ([]Event, error) {
	var v validator
	v.id("project_id", cmd.ProjectID)
	if !cmd.Role.Valid() {
		v.fail("role", "must be one of project_admin, contributor, viewer")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := m.authorizeProject(ws, by, cmd.ProjectID, "assign project roles"); err != nil {
		return nil, err
	}
	if err := ws.requireGrantable(catalogRef{projectCatalog, cmd.ProjectID}); err != nil {
		return nil, err
	}
	if current, ok := m.projects[cmd.ProjectID]; ok && current == cmd.Role {
		return nil, nil
	}
	return []Event{ProjectRoleAssigned{WorkspaceID: m.workspaceID, AccountID: m.accountID, ProjectID: cmd.ProjectID, Role: cmd.Role}}, nil
}

// RemoveFromProject takes the member out of a project.
type RemoveFromProject struct {
	ProjectID uuid.UUID
}

// RemoveFromProject removes the member's role in a project, archived or not; same
// authority as AssignProjectRole. A member not in the project changes nothing.
func (m *MemberAccess) RemoveFromProject(ws *Workspace, by Actor, cmd RemoveFromProject, now time.Time) ([]Event, error) {
	var v validator
	v.id("project_id", cmd.ProjectID)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := m.authorizeProject(ws, by, cmd.ProjectID, "remove members from projects"); err != nil {
		return nil, err
	}
	if _, ok := m.projects[cmd.ProjectID]; !ok {
		return nil, nil
	}
	return []Event{ProjectRoleRemoved{WorkspaceID: m.workspaceID, AccountID: m.accountID, ProjectID: cmd.ProjectID}}, nil
}
