// Package activity is the read model of a workspace's activity log (Activity): every
// event of the workspace and its members' streams, summarised without personal data.
//
// Events: every event of a workspace stream or a member stream: WorkspaceCreated,
// WorkspaceRenamed, PlanChanged, ModuleSet, OwnershipTransferred, ProjectCreated,
// ProjectArchived, BookingCategoryDefined, BookingCategoryRetired, VisaDefined,
// VisaRetired, ClientRegistered, ClientRetired, AccessRequested, AccessApproved,
// AccessRejected, MemberInvited, InvitationResent, InvitationAccepted,
// InvitationRevoked, InvitationExpired, WelcomeEmailSent, RoleChanged, MemberSuspended,
// MemberReinstated, LicenseDeactivated, LicenseReactivated, MemberDeleted,
// MemberRestored, MemberPurged, ProjectRoleAssigned, ProjectRoleRemoved, VisaGranted,
// VisaRevoked, VisaExpired, ClientLinked, ClientUnlinked, PermissionsSet,
// PermissionsCopied, ScopeSet, SecuritySettingsSet, ContractInfoSet, GrantsCleared,
// APITokenIssued, APITokenRevoked.
//
// Tables (in each generation's schema, read through the rm views): activity_log,
// activity_catalog.
//
// Queries: ListActivity (a page), StreamActivity (every entry, for exports).
package activity
