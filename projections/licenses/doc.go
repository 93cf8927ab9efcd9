// Package licenses is the read model of license seats (Licenses): per workspace the
// plan's seats and members by status, and per UTC day the peak of seats in use, for
// billing.
//
// Events: WorkspaceCreated, PlanChanged, AccessRequested, AccessApproved,
// AccessRejected, MemberInvited, InvitationAccepted, InvitationRevoked,
// InvitationExpired, MemberSuspended, MemberReinstated, LicenseDeactivated,
// LicenseReactivated, MemberDeleted, MemberRestored, MemberPurged.
//
// Tables (in each generation's schema, read through the rm views): licenses_workspaces,
// licenses_members, licenses_daily.
//
// Queries: GetLicenses (a workspace's summary), SeatUsage (daily peaks over a range).
package licenses
