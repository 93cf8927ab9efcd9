// Package booking is the read model of current booking authorizations (Booking): per
// member and category, the visa that authorizes booking and whether it does now.
//
// Events: the roster events (AccessRequested, AccessApproved, AccessRejected,
// MemberInvited, InvitationAccepted, InvitationRevoked, InvitationExpired,
// MemberSuspended, MemberReinstated, LicenseDeactivated, LicenseReactivated,
// MemberDeleted, MemberRestored, MemberPurged, RoleChanged, OwnershipTransferred,
// WorkspaceCreated), folded by package roster; ModuleSet, VisaGranted, VisaRevoked,
// VisaExpired, VisaRetired, BookingCategoryRetired, GrantsCleared.
//
// Tables (in each generation's schema, read through the rm views):
// booking_authorizations, booking_members, booking_workspaces, booking_retired.
//
// Queries: ListBookingAuthorizations (a member's), AuthorizedForCategory (a category's
// bookers now).
package booking
