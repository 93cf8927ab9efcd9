package domain

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
)

// CopyPermissions gives the member `to` the workspace role, project roles, permission
// overrides and scopes of the member `from`; visas and client links are personal and stay.
// It answers two lists for two streams, appended in this order: the role change for the
// workspace stream (decided by ChangeRole, with all its rules) and the copy for to's member
// stream. Either list may be empty when that part already matches. Admins and above; the
// owner's permissions are not copied (owner_protected), and project roles in archived
// projects are left behind, since no new grant may reference them.
func CopyPermissions(ws *Workspace, from, to *MemberAccess, by Actor, now time.Time) (roster []Event, access []Event, err error) {
	if from.accountID == to.accountID {
		return nil, nil, invalidField("from_account_id", "must name another member")
	}
	if from.workspaceID != to.workspaceID {
		return nil, nil, invalidField("from_account_id", "must be a member of the same workspace")
	}
	source, err := copySource(ws, by, from)
	if err != nil {
		return nil, nil, err
	}
	if _, err := to.subject(ws); err != nil {
		return nil, nil, err
	}
	roster, err = ws.ChangeRole(by, ChangeRole{AccountID: to.accountID, Role: source.Role}, now)
	if err != nil {
		return nil, nil, err
	}
	return roster, to.copyFrom(ws, from), nil
}

// copySource authorizes the copy and answers the source's roster entry, which must hold a
// role that is not the owner's.
func copySource(ws *Workspace, by Actor, from *MemberAccess) (RosterEntry, error) {
	if _, err := ws.requireRole(by, RoleAdmin, "copy permissions"); err != nil {
		return RosterEntry{}, err
	}
	source, err := ws.onRoster(from.accountID)
	switch {
	case err != nil:
		return RosterEntry{}, err
	case source.Role == RoleOwner:
		return RosterEntry{}, ownerProtected("copy the permissions of")
	case source.Role == "":
		return RosterEntry{}, conflict(CodeInvalidTransition, "the source member is %s and has no role to copy", source.Status)
	}
	return source, nil
}

// copyFrom answers the member-stream event of a copy, or nothing when m already holds
// exactly what would be copied.
func (m *MemberAccess) copyFrom(ws *Workspace, from *MemberAccess) []Event {
	projects := map[uuid.UUID]ProjectRole{}
	for id, role := range from.projects {
		if ws.grantable(projectCatalog, id) == nil {
			projects[id] = role
		}
	}
	scopes := map[string]ScopeLevel{}
	maps.Copy(scopes, from.scopes)
	if maps.Equal(projects, m.projects) && slices.Equal(from.grant, m.grant) && slices.Equal(from.deny, m.deny) && maps.Equal(scopes, m.scopes) {
		return nil
	}
	return []Event{PermissionsCopied{
		WorkspaceID:   m.workspaceID,
		AccountID:     m.accountID,
		FromAccountID: from.accountID,
		ProjectRoles:  projects,
		Grant:         append([]string{}, from.grant...),
		Deny:          append([]string{}, from.deny...),
		Scopes:        scopes,
	}}
}
