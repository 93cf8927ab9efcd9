package domain

import (
	"time"

	"github.com/google/uuid"
)

// Event types of the roster, appended to the workspace stream (the roster is part of the
// Workspace aggregate, so seat and owner invariants hold in one consistency boundary).
// Every roster event names the member by AccountID.
const (
	TypeMemberInvited      = "member.invited"
	TypeInvitationAccepted = "member.invitation_accepted"
	TypeInvitationResent   = "member.invitation_resent"
	TypeInvitationRevoked  = "member.invitation_revoked"
	TypeInvitationExpired  = "member.invitation_expired"
	TypeAccessRequested    = "member.access_requested"
	TypeAccessApproved     = "member.access_approved"
	TypeAccessRejected     = "member.access_rejected"
	TypeRoleChanged        = "member.role_changed"
	TypeLicenseDeactivated = "member.license_deactivated"
	TypeLicenseReactivated = "member.license_reactivated"
	TypeMemberSuspended    = "member.suspended"
	TypeMemberReinstated   = "member.reinstated"
	TypeMemberDeleted      = "member.deleted"
	TypeMemberRestored     = "member.restored"
	TypeMemberPurged       = "member.purged"
	TypeWelcomeEmailSent   = "member.welcome_email_sent"
)

var rosterCodecs = []codec{
	codecFor[MemberInvited](), codecFor[InvitationAccepted](), codecFor[InvitationResent](),
	codecFor[InvitationRevoked](), codecFor[AccessRequested](), codecFor[AccessApproved](),
	codecFor[AccessRejected](), codecFor[RoleChanged](), codecFor[LicenseDeactivated](),
	codecFor[LicenseReactivated](), codecFor[MemberSuspended](), codecFor[MemberReinstated](),
	codecFor[MemberDeleted](), codecFor[MemberRestored](), codecFor[MemberPurged](),
	codecFor[WelcomeEmailSent](), codecFor[InvitationExpired](),
}

// MemberInvited puts an account on the roster as invited, holding a seat. Only the hash of
// the invitation token is recorded.
type MemberInvited struct {
	AccountID uuid.UUID     `json:"account_id"`
	Role      WorkspaceRole `json:"role"`
	TokenHash string        `json:"token_hash"`
	ExpiresAt time.Time     `json:"expires_at"`
}

// InvitationAccepted makes an invited member active.
type InvitationAccepted struct {
	AccountID uuid.UUID `json:"account_id"`
}

// InvitationResent replaces a pending invitation's token and expiry.
type InvitationResent struct {
	AccountID uuid.UUID `json:"account_id"`
	TokenHash string    `json:"token_hash"`
	ExpiresAt time.Time `json:"expires_at"`
}

// InvitationRevoked removes an invited member from the roster, freeing the seat.
type InvitationRevoked struct {
	AccountID uuid.UUID `json:"account_id"`
}

// InvitationExpired records that an invitation ran out unanswered at ExpiresAt: the
// invitee leaves the roster and the seat is free, as after a revocation. The system
// appends it with ExpiresAt as the event's time.
type InvitationExpired struct {
	AccountID uuid.UUID `json:"account_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

// AccessRequested puts an account on the roster as pending: no seat, no role.
type AccessRequested struct {
	AccountID uuid.UUID `json:"account_id"`
}

// AccessApproved makes a pending member active with Role, taking a seat.
type AccessApproved struct {
	AccountID uuid.UUID     `json:"account_id"`
	Role      WorkspaceRole `json:"role"`
}

// AccessRejected removes a pending member from the roster.
type AccessRejected struct {
	AccountID uuid.UUID `json:"account_id"`
}

// RoleChanged changes a member's workspace role.
type RoleChanged struct {
	AccountID uuid.UUID     `json:"account_id"`
	From      WorkspaceRole `json:"from"`
	To        WorkspaceRole `json:"to"`
}

// LicenseDeactivated frees a member's seat; the member cannot log in and their grants freeze.
type LicenseDeactivated struct {
	AccountID uuid.UUID `json:"account_id"`
}

// LicenseReactivated makes a deactivated member active again, taking a seat.
type LicenseReactivated struct {
	AccountID uuid.UUID `json:"account_id"`
}

// MemberSuspended temporarily restricts an active member, who keeps the seat. Until, if
// set, is when the suspension is meant to end.
type MemberSuspended struct {
	AccountID uuid.UUID  `json:"account_id"`
	Reason    string     `json:"reason"`
	Until     *time.Time `json:"until,omitempty"`
}

// MemberReinstated ends a suspension.
type MemberReinstated struct {
	AccountID uuid.UUID `json:"account_id"`
}

// MemberDeleted deletes a member restorably: the seat is freed, grants stay intact, and
// PreviousStatus is what RestoreMember brings back until DeletedAt plus RestoreWindow.
type MemberDeleted struct {
	AccountID      uuid.UUID    `json:"account_id"`
	PreviousStatus MemberStatus `json:"previous_status"`
	DeletedAt      time.Time    `json:"deleted_at"`
}

// MemberRestored brings a deleted member back to Status, the status it had.
type MemberRestored struct {
	AccountID uuid.UUID    `json:"account_id"`
	Status    MemberStatus `json:"status"`
}

// MemberPurged ends a deleted membership for good.
type MemberPurged struct {
	AccountID uuid.UUID `json:"account_id"`
}

// WelcomeEmailSent records that the membership's one welcome email went out. The email
// itself is a side effect of a projection that never re-sends on rebuild.
type WelcomeEmailSent struct {
	AccountID uuid.UUID `json:"account_id"`
}

// EventType implements Event.
func (MemberInvited) EventType() string { return TypeMemberInvited }

// EventType implements Event.
func (InvitationAccepted) EventType() string { return TypeInvitationAccepted }

// EventType implements Event.
func (InvitationResent) EventType() string { return TypeInvitationResent }

// EventType implements Event.
func (InvitationRevoked) EventType() string { return TypeInvitationRevoked }

// EventType implements Event.
func (InvitationExpired) EventType() string { return TypeInvitationExpired }

// EventType implements Event.
func (AccessRequested) EventType() string { return TypeAccessRequested }

// EventType implements Event.
func (AccessApproved) EventType() string { return TypeAccessApproved }

// EventType implements Event.
func (AccessRejected) EventType() string { return TypeAccessRejected }

// EventType implements Event.
func (RoleChanged) EventType() string { return TypeRoleChanged }

// EventType implements Event.
func (LicenseDeactivated) EventType() string { return TypeLicenseDeactivated }

// EventType implements Event.
func (LicenseReactivated) EventType() string { return TypeLicenseReactivated }

// EventType implements Event.
func (MemberSuspended) EventType() string { return TypeMemberSuspended }

// EventType implements Event.
func (MemberReinstated) EventType() string { return TypeMemberReinstated }

// EventType implements Event.
func (MemberDeleted) EventType() string { return TypeMemberDeleted }

// EventType implements Event.
func (MemberRestored) EventType() string { return TypeMemberRestored }

// EventType implements Event.
func (MemberPurged) EventType() string { return TypeMemberPurged }

// EventType implements Event.
func (WelcomeEmailSent) EventType() string { return TypeWelcomeEmailSent }

// RosterEvent is a roster event about one account's membership: every event of a member's
// lifecycle on the workspace stream. Account answers whose, so that a reader files it
// without a switch over the types.
type RosterEvent interface {
	Event
	Account() uuid.UUID
}

// Account implements RosterEvent.
func (e MemberInvited) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e InvitationAccepted) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e InvitationResent) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e InvitationRevoked) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e InvitationExpired) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e AccessRequested) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e AccessApproved) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e AccessRejected) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e RoleChanged) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e LicenseDeactivated) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e LicenseReactivated) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e MemberSuspended) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e MemberReinstated) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e MemberDeleted) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e MemberRestored) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e MemberPurged) Account() uuid.UUID { return e.AccountID }

// Account implements RosterEvent.
func (e WelcomeEmailSent) Account() uuid.UUID { return e.AccountID }
