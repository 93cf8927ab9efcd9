package domain

import (
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"
)

// A copy answers events for two streams; each case states both.
func TestCopyPermissions(t *testing.T) {
	sourceGrants := []Event{
		ProjectRoleAssigned{WorkspaceID: wsID, AccountID: sourceID, ProjectID: projectID, Role: ProjectContributor},
		ProjectRoleAssigned{WorkspaceID: wsID, AccountID: sourceID, ProjectID: project2ID, Role: ProjectAdmin},
		PermissionsSet{WorkspaceID: wsID, AccountID: sourceID, Grant: []string{"billing.view"}, Deny: []string{"spend"}},
		ScopeSet{WorkspaceID: wsID, AccountID: sourceID, Scope: "company:acme", Level: ScopeRead},
		VisaGranted{WorkspaceID: wsID, AccountID: sourceID, CategoryID: categoryID, VisaID: visaID},
		ClientLinked{WorkspaceID: wsID, AccountID: sourceID, ClientID: clientID},
	}
	archived := slices.Concat(accessWorld(), []Event{ProjectArchived{ProjectID: project2ID}})
	copied := PermissionsCopied{
		WorkspaceID: wsID, AccountID: targetID, FromAccountID: sourceID,
		ProjectRoles: map[uuid.UUID]ProjectRole{projectID: ProjectContributor},
		Grant:        []string{"billing.view"}, Deny: []string{"spend"},
		Scopes: map[string]ScopeLevel{"company:acme": ScopeRead},
	}
	cases := []struct {
		name       string
		roster     []Event
		target     []Event
		from       uuid.UUID
		by         Actor
		thenRoster []Event
		thenAccess []Event
		err        string
	}{
		{name: "role and grants, not visas, clients or archived projects", roster: archived, from: sourceID, by: byAdmin,
			thenRoster: []Event{RoleChanged{AccountID: targetID, From: RoleMember, To: RoleManager}}, thenAccess: []Event{copied}},
		{name: "the copy replaces what the target had", roster: archived, from: sourceID, by: byAdmin,
			target:     slices.Concat(assigned(project2ID, ProjectViewer), permissionsSet([]string{"x"}, []string{})),
			thenRoster: []Event{RoleChanged{AccountID: targetID, From: RoleMember, To: RoleManager}}, thenAccess: []Event{copied}},
		{name: "nothing to copy", roster: slices.Concat(staff(), []Event{ProjectArchived{ProjectID: project2ID}}, joined(targetID, RoleManager), joined(sourceID, RoleManager)),
			from: sourceID, by: byAdmin, target: []Event{copied}},
		{name: "from the owner", roster: archived, from: ownerID, by: byPlatformAdmin, err: CodeOwnerProtected},
		{name: "from a pending member", roster: slices.Concat(staff(), joined(targetID, RoleMember), requested(sourceID)), from: sourceID, by: byAdmin, err: CodeInvalidTransition},
		{name: "from a stranger", roster: accessWorld(), from: outsiderID, by: byAdmin, err: CodeNotFound},
		{name: "onto oneself", roster: accessWorld(), from: targetID, by: byAdmin, err: CodeValidationFailed},
		{name: "onto a deactivated member", roster: slices.Concat(staff(), inStatus(targetID, StatusDeactivated), joined(sourceID, RoleManager)), from: sourceID, by: byAdmin, err: CodeMemberFrozen},
		{name: "onto a pending member", roster: slices.Concat(staff(), requested(targetID), joined(sourceID, RoleManager)), from: sourceID, by: byAdmin, err: CodeInvalidTransition},
		{name: "by the target itself", roster: slices.Concat(staff(), joined(targetID, RoleAdmin), joined(sourceID, RoleManager)), from: sourceID, by: byTarget, err: CodeSelfAction},
		{name: "by a manager", roster: accessWorld(), from: sourceID, by: actorOf(managerID), err: CodeForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from := replayAccess(c.from, sourceGrants)
			roster, access, err := CopyPermissions(replayWorkspace(c.roster), from, replayAccess(targetID, c.target), c.by, now)
			expect(t, roster, err, c.thenRoster, c.err)
			expect(t, access, err, c.thenAccess, c.err)
		})
	}
}

func TestCopiedPermissionsFold(t *testing.T) {
	e := PermissionsCopied{WorkspaceID: wsID, AccountID: targetID, FromAccountID: sourceID,
		ProjectRoles: map[uuid.UUID]ProjectRole{projectID: ProjectViewer}, Grant: []string{"a"}, Deny: []string{"b"},
		Scopes: map[string]ScopeLevel{"company:acme": ScopeWrite}}
	m := replayAccess(targetID, slices.Concat(assigned(project2ID, ProjectAdmin), linked(clientID), []Event{e}))
	grant, deny := m.Overrides()
	if !reflect.DeepEqual(m.ProjectRoles(), e.ProjectRoles) || !slices.Equal(grant, e.Grant) || !slices.Equal(deny, e.Deny) ||
		!reflect.DeepEqual(m.Scopes(), e.Scopes) || len(m.Clients()) != 1 {
		t.Fatalf("after the copy: roles %v, overrides %v/%v, scopes %v, clients %v", m.ProjectRoles(), grant, deny, m.Scopes(), m.Clients())
	}
}
