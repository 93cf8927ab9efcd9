// Package history is the authorization history of every member, for auditors (History):
// every change to what a member may do, as validity intervals, and the workspace facts
// needed to answer booking questions at a time.
//
// Events: the roster events (AccessRequested, AccessApproved, AccessRejected,
// MemberInvited, InvitationAccepted, InvitationRevoked, InvitationExpired,
// MemberSuspended, MemberReinstated, LicenseDeactivated, LicenseReactivated,
// MemberDeleted, MemberRestored, MemberPurged, RoleChanged, OwnershipTransferred,
// WorkspaceCreated), folded by package roster; ModuleSet, ProjectCreated,
// ProjectArchived, ProjectRoleAssigned, ProjectRoleRemoved, BookingCategoryDefined,
// BookingCategoryRetired, VisaDefined, VisaRetired, VisaGranted, VisaRevoked,
// VisaExpired, ClientRegistered, ClientRetired, ClientLinked, ClientUnlinked,
// PermissionsSet, PermissionsCopied, ScopeSet, SecuritySettingsSet, ContractInfoSet,
// GrantsCleared.
//
// Tables (in each generation's schema, read through the rm views): history_facts,
// history_workspace_facts, history_changes.
//
// Queries: MemberHistory (a member's changes), AccessAt (what a member could do at a
// time), BookersAt (who could book a category at a time).
package history
