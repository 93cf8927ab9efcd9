// Package access is the access-check read model (AccessCheck): whether an account may do
// an action in a workspace, answered from one indexed row.
//
// Events: the roster events (AccessRequested, AccessApproved, AccessRejected,
// MemberInvited, InvitationAccepted, InvitationRevoked, InvitationExpired,
// MemberSuspended, MemberReinstated, LicenseDeactivated, LicenseReactivated,
// MemberDeleted, MemberRestored, MemberPurged, RoleChanged, OwnershipTransferred,
// WorkspaceCreated), folded by package roster; ModuleSet, ProjectCreated,
// ProjectArchived, ProjectRoleAssigned, ProjectRoleRemoved, VisaGranted, VisaRevoked,
// VisaExpired, VisaRetired, BookingCategoryRetired, PermissionsSet, PermissionsCopied,
// ScopeSet, GrantsCleared.
//
// Tables (in each generation's schema, read through the rm views): access_checks,
// access_members, access_workspaces (and reads spend_scopes, package spend).
//
// Queries: CheckAccess; ParseAction and ScopeAction name the actions it checks.
package access
