// Package members is the read model of the admin UI's member list and member detail
// (Members): one row per membership with its roster state, the account's personal data
// copied in, and its grants for filters.
//
// Events: AccountRegistered, ProfileChanged, EmailChanged, WorkspaceCreated,
// OwnershipTransferred, ProjectCreated, ProjectArchived, AccessRequested,
// AccessApproved, AccessRejected, MemberInvited, InvitationResent, InvitationAccepted,
// InvitationRevoked, InvitationExpired, WelcomeEmailSent, RoleChanged, MemberSuspended,
// MemberReinstated, LicenseDeactivated, LicenseReactivated, MemberDeleted,
// MemberRestored, MemberPurged, ProjectRoleAssigned, ProjectRoleRemoved, VisaGranted,
// VisaRevoked, VisaExpired, ClientLinked, ClientUnlinked, PermissionsSet,
// PermissionsCopied, ScopeSet, SecuritySettingsSet, ContractInfoSet, GrantsCleared.
//
// Tables (in each generation's schema, read through the rm views): members_accounts,
// members_members, members_projects, members_clients, members_visas, members_settings,
// members_scopes, members_workspace_projects, members_search.
//
// Queries: ListMembers (filtered, sorted, paged), GetMember, GetMemberDetail,
// MemberCounts, AccountWorkspaces.
package members
