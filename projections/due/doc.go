// Package due is the read model of what time will do (Due): expiring visas and
// invitations, purges of deleted members and workspaces, each with the instant it falls
// due, for the scheduler.
//
// Events: MemberInvited, InvitationResent, InvitationAccepted, InvitationRevoked,
// InvitationExpired, VisaGranted, VisaRevoked, VisaExpired, GrantsCleared,
// MemberDeleted, MemberRestored, MemberPurged, WorkspaceDeleted, WorkspaceRestored,
// WorkspacePurged.
//
// Tables (in each generation's schema, read through the rm views): scheduler_due.
//
// Queries: DueBy (the work due by now), DueCount.
package due
