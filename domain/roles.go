package domain

import (
	"slices"
	"strings"
)

// WorkspaceRole is a member's role in a workspace. It decides what the member may manage;
// modules may additionally require a minimum role.
type WorkspaceRole string

// Workspace roles, highest first. Auditor stands beside the hierarchy: it reads everything
// and changes nothing, so for ranking it counts as a member.
const (
	RoleOwner   WorkspaceRole = "owner"
	RoleAdmin   WorkspaceRole = "admin"
	RoleManager WorkspaceRole = "manager"
	RoleMember  WorkspaceRole = "member"
	RoleViewer  WorkspaceRole = "viewer"
	RoleAuditor WorkspaceRole = "auditor"
)

var workspaceRoleRanks = map[WorkspaceRole]int{
	RoleOwner:   5,
	RoleAdmin:   4,
	RoleManager: 3,
	RoleMember:  2,
	RoleAuditor: 2,
	RoleViewer:  1,
}

// WorkspaceRoles answers every workspace role, highest first.
func WorkspaceRoles() []WorkspaceRole {
	return []WorkspaceRole{RoleOwner, RoleAdmin, RoleManager, RoleMember, RoleViewer, RoleAuditor}
}

// GrantableRoles answers the workspace roles a command hands out, highest first: all
// but the owner, which only moves through TransferOwnership.
func GrantableRoles() []WorkspaceRole {
	return slices.DeleteFunc(WorkspaceRoles(), func(r WorkspaceRole) bool { return r == RoleOwner })
}

// Rank orders roles: owner 5, admin 4, manager 3, member and auditor 2, viewer 1, and 0
// for anything else (including the empty role of a pending member).
func (r WorkspaceRole) Rank() int { return workspaceRoleRanks[r] }

// Valid reports whether r is one of the workspace roles.
func (r WorkspaceRole) Valid() bool { return r.Rank() > 0 }

// AtLeast reports whether r ranks at or above min. An invalid role reaches nothing.
func (r WorkspaceRole) AtLeast(min WorkspaceRole) bool {
	return r.Valid() && r.Rank() >= min.Rank()
}

// ParseWorkspaceRole answers the role named s, or a KindValidation error on field "role".
func ParseWorkspaceRole(s string) (WorkspaceRole, error) {
	if r := WorkspaceRole(s); r.Valid() {
		return r, nil
	}
	return "", invalidField("role", "must be one of %s", strings.Join(roleNames(), ", "))
}

func roleNames() []string {
	var names []string
	for _, r := range WorkspaceRoles() {
		names = append(names, string(r))
	}
	return names
}

// ProjectRole is a member's role in one project of the workspace.
type ProjectRole string

// Project roles, highest first. A project admin manages the project's members.
const (
	ProjectAdmin       ProjectRole = "project_admin"
	ProjectContributor ProjectRole = "contributor"
	ProjectViewer      ProjectRole = "viewer"
)

// ProjectRoles answers every project role, highest first.
func ProjectRoles() []ProjectRole {
	return []ProjectRole{ProjectAdmin, ProjectContributor, ProjectViewer}
}

// Valid reports whether r is one of the project roles.
func (r ProjectRole) Valid() bool { return slices.Contains(ProjectRoles(), r) }

// ParseProjectRole answers the project role named s, or a KindValidation error on field "role".
func ParseProjectRole(s string) (ProjectRole, error) {
	if r := ProjectRole(s); r.Valid() {
		return r, nil
	}
	return "", invalidField("role", "must be one of project_admin, contributor, viewer")
}

// ScopeLevel is a member's access to one scope, such as a company or a folder.
type ScopeLevel string

// Scope levels, lowest first. Write includes read.
const (
	ScopeNone  ScopeLevel = "none"
	ScopeRead  ScopeLevel = "read"
	ScopeWrite ScopeLevel = "write"
)

// ScopeLevels answers every scope level, lowest first.
func ScopeLevels() []ScopeLevel { return []ScopeLevel{ScopeNone, ScopeRead, ScopeWrite} }

// Valid reports whether l is one of the scope levels.
func (l ScopeLevel) Valid() bool { return slices.Contains(ScopeLevels(), l) }

// Includes reports whether a member holding l may do what want requires; write includes read.
func (l ScopeLevel) Includes(want ScopeLevel) bool {
	return l.Valid() && want.Valid() && l.rank() >= want.rank()
}

func (l ScopeLevel) rank() int {
	switch l {
	case ScopeRead:
		return 1
	case ScopeWrite:
		return 2
	}
	return 0
}

// ParseScopeLevel answers the level named s, or a KindValidation error on field "level".
func ParseScopeLevel(s string) (ScopeLevel, error) {
	if l := ScopeLevel(s); l.Valid() {
		return l, nil
	}
	return "", invalidField("level", "must be one of none, read, write")
}
