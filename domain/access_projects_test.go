package domain

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

func assign(project uuid.UUID, role ProjectRole) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
	return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
		return m.AssignProjectRole(ws, by, AssignProjectRole{ProjectID: project, Role: role}, now)
	}
}

func removeFrom(project uuid.UUID) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
	return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
		return m.RemoveFromProject(ws, by, RemoveFromProject{ProjectID: project}, now)
	}
}

func TestAssignProjectRole(t *testing.T) {
	world := accessWorld()
	archived := slices.Concat(world, []Event{ProjectArchived{ProjectID: projectID}})
	invitedTarget := slices.Concat(staff(), invited(targetID, RoleMember))
	adminTarget := slices.Concat(staff(), joined(targetID, RoleAdmin))
	runAccess(t, []accessCase{
		{name: "by an admin", roster: world, by: byAdmin, when: assign(projectID, ProjectContributor),
			then: []Event{ProjectRoleAssigned{WorkspaceID: wsID, AccountID: targetID, ProjectID: projectID, Role: ProjectContributor}}},
		{name: "changed by the project admin", roster: world, given: assigned(projectID, ProjectViewer), by: byProjectAdmin, when: assign(projectID, ProjectAdmin),
			then: []Event{ProjectRoleAssigned{WorkspaceID: wsID, AccountID: targetID, ProjectID: projectID, Role: ProjectAdmin}}},
		{name: "same role changes nothing", roster: world, given: assigned(projectID, ProjectViewer), by: byAdmin, when: assign(projectID, ProjectViewer)},
		{name: "to an invited member by an admin", roster: invitedTarget, by: byAdmin, when: assign(projectID, ProjectViewer),
			then: []Event{ProjectRoleAssigned{WorkspaceID: wsID, AccountID: targetID, ProjectID: projectID, Role: ProjectViewer}}},
		{name: "to an invited member by the project admin", roster: invitedTarget, by: byProjectAdmin, when: assign(projectID, ProjectViewer), err: CodeForbidden},
		{name: "to a workspace admin by the project admin", roster: adminTarget, by: byProjectAdmin, when: assign(projectID, ProjectViewer), err: CodeForbidden},
		{name: "in another project by the project admin", roster: world, by: byProjectAdmin, when: assign(project2ID, ProjectViewer), err: CodeForbidden},
		{name: "by a suspended project admin", roster: slices.Concat(world, suspended(projectAdminID)), by: byProjectAdmin, when: assign(projectID, ProjectViewer), err: CodeForbidden},
		{name: "in an archived project", roster: archived, by: byAdmin, when: assign(projectID, ProjectViewer), err: CodeValidationFailed},
		{name: "in an unknown project", roster: world, by: byAdmin, when: assign(named("nowhere"), ProjectViewer), err: CodeValidationFailed},
		{name: "with an unknown role", roster: world, by: byAdmin, when: assign(projectID, "owner"), err: CodeValidationFailed},
		{name: "to the owner by an admin", roster: world, by: byAdmin, when: assignTo(ownerID, projectID), err: CodeForbidden},
		{name: "to the owner by the owner", roster: world, by: byOwner, when: assignTo(ownerID, projectID),
			then: []Event{ProjectRoleAssigned{WorkspaceID: wsID, AccountID: ownerID, ProjectID: projectID, Role: ProjectViewer}}},
	})
}

// assignTo decides for another member than the case's target.
func assignTo(account, project uuid.UUID) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
	return func(_ *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
		return NewMemberAccess(wsID, account).AssignProjectRole(ws, by, AssignProjectRole{ProjectID: project, Role: ProjectViewer}, now)
	}
}

func TestAssignProjectRoleNamesTheBadField(t *testing.T) {
	ws := replayWorkspace(slices.Concat(accessWorld(), []Event{ProjectArchived{ProjectID: projectID}}))
	_, err := NewMemberAccess(wsID, targetID).AssignProjectRole(ws, byAdmin, AssignProjectRole{ProjectID: projectID, Role: ProjectViewer}, now)
	if got := fieldsOf(err); !slices.Equal(got, []string{"project_id"}) {
		t.Fatalf("fields %v (%v)", got, err)
	}
}

func TestRemoveFromProject(t *testing.T) {
	world := accessWorld()
	runAccess(t, []accessCase{
		{name: "removed", roster: world, given: assigned(projectID, ProjectViewer), by: byAdmin, when: removeFrom(projectID),
			then: []Event{ProjectRoleRemoved{WorkspaceID: wsID, AccountID: targetID, ProjectID: projectID}}},
		{name: "removed by the project admin", roster: world, given: assigned(projectID, ProjectViewer), by: byProjectAdmin, when: removeFrom(projectID),
			then: []Event{ProjectRoleRemoved{WorkspaceID: wsID, AccountID: targetID, ProjectID: projectID}}},
		{name: "removed from an archived project", roster: slices.Concat(world, []Event{ProjectArchived{ProjectID: projectID}}), given: assigned(projectID, ProjectViewer),
			by: byAdmin, when: removeFrom(projectID), then: []Event{ProjectRoleRemoved{WorkspaceID: wsID, AccountID: targetID, ProjectID: projectID}}},
		{name: "not in the project changes nothing", roster: world, by: byAdmin, when: removeFrom(projectID)},
		{name: "from another project by the project admin", roster: world, given: assigned(project2ID, ProjectViewer), by: byProjectAdmin, when: removeFrom(project2ID), err: CodeForbidden},
	})
}

func TestProjectRolesFold(t *testing.T) {
	m := replayAccess(targetID, slices.Concat(assigned(projectID, ProjectViewer), assigned(project2ID, ProjectAdmin), assigned(projectID, ProjectContributor),
		[]Event{ProjectRoleRemoved{WorkspaceID: wsID, AccountID: targetID, ProjectID: project2ID}}))
	if r, ok := m.ProjectRole(projectID); !ok || r != ProjectContributor || len(m.ProjectRoles()) != 1 {
		t.Fatalf("project roles %v", m.ProjectRoles())
	}
}
