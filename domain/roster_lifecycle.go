package domain

import (
	"time"

	"github.com/google/uuid"
)

// RestoreWindow is how long a deleted member can be restored; after it, the member is
// purged by the system.
const RestoreWindow = 30 * 24 * time.Hour

// ChangeRole sets a member's workspace role.
type ChangeRole struct {
	AccountID uuid.UUID
	Role      WorkspaceRole
}

// ChangeRole changes the role of an invited, active or suspended member; admins and above,
// never to a role above their own, never on themselves, never on the owner. The same role
// again changes nothing.
func (w *Workspace) ChangeRole(by Actor, cmd ChangeRole, now time.Time) ([]Event, error) {
	var v validator
	v.id("account_id", cmd.AccountID)
	v.grantableRole("role", cmd.Role)
	if err := v.err(); err != nil {
		return nil, err
	}
	role, target, err := w.subject(by, cmd.AccountID, actChangeRole)
	if err != nil {
		return nil, err
	}
	if err := mayAssign(role, cmd.Role); err != nil {
		return nil, err
	}
	if target.Role == cmd.Role {
		return nil, nil
	}
	return []Event{RoleChanged{AccountID: cmd.AccountID, From: target.Role, To: cmd.Role}}, nil
}

// DeactivateLicense frees a member's seat and locks them out.
type DeactivateLicense struct {
	AccountID uuid.UUID
}

// DeactivateLicense deactivates an active or suspended member; admins and above.
func (w *Workspace) DeactivateLicense(by Actor, cmd DeactivateLicense, now time.Time) ([]Event, error) {
	return w.simpleAct(by, cmd.AccountID, actDeactivate, LicenseDeactivated{AccountID: cmd.AccountID})
}

// ReactivateLicense gives a deactivated member a seat again.
type ReactivateLicense struct {
	AccountID uuid.UUID
}

// ReactivateLicense makes a deactivated member active, taking a seat (quota_exceeded when
// none is free); admins and above.
func (w *Workspace) ReactivateLicense(by Actor, cmd ReactivateLicense, now time.Time) ([]Event, error) {
	if err := requireAccount(cmd.AccountID); err != nil {
		return nil, err
	}
	if _, _, err := w.subject(by, cmd.AccountID, actReactivate); err != nil {
		return nil, err
	}
	if err := w.requireSeat(); err != nil {
		return nil, err
	}
	return []Event{LicenseReactivated{AccountID: cmd.AccountID}}, nil
}

// SuspendMember restricts an active member for a while.
type SuspendMember struct {
	AccountID uuid.UUID
	Reason    string     // required: a suspension must be explainable to the member
	Until     *time.Time // optional; when the suspension is meant to end
}

func (c SuspendMember) validate(now time.Time) error {
	var v validator
	v.id("account_id", c.AccountID)
	if c.Reason == "" {
		v.fail("reason", "is required")
	}
	v.text("reason", c.Reason, MaxReasonLength)
	v.after("until", c.Until, now)
	return v.err()
}

// SuspendMember suspends an active member, who keeps the seat; admins and above. Until is
// recorded for the admin UI and the member; lifting the suspension is ReinstateMember.
func (w *Workspace) SuspendMember(by Actor, cmd SuspendMember, now time.Time) ([]Event, error) {
	if err := cmd.validate(now); err != nil {
		return nil, err
	}
	if _, _, err := w.subject(by, cmd.AccountID, actSuspend); err != nil {
		return nil, err
	}
	return []Event{MemberSuspended{AccountID: cmd.AccountID, Reason: cmd.Reason, Until: utcPtr(cmd.Until)}}, nil
}

// ReinstateMember ends a suspension.
type ReinstateMember struct {
	AccountID uuid.UUID
}

// ReinstateMember makes a suspended member active again; admins and above.
func (w *Workspace) ReinstateMember(by Actor, cmd ReinstateMember, now time.Time) ([]Event, error) {
	return w.simpleAct(by, cmd.AccountID, actReinstate, MemberReinstated{AccountID: cmd.AccountID})
}

// DeleteMember deletes a member restorably.
type DeleteMember struct {
	AccountID uuid.UUID
}

// DeleteMember deletes a member in any status but deleted or purged, freeing a held seat
// and remembering the status for RestoreMember; admins and above, never the owner.
func (w *Workspace) DeleteMember(by Actor, cmd DeleteMember, now time.Time) ([]Event, error) {
	if err := requireAccount(cmd.AccountID); err != nil {
		return nil, err
	}
	_, target, err := w.subject(by, cmd.AccountID, actDelete)
	if err != nil {
		return nil, err
	}
	return []Event{MemberDeleted{AccountID: cmd.AccountID, PreviousStatus: target.Status, DeletedAt: utc(now)}}, nil
}

// RestoreMember undoes a deletion.
type RestoreMember struct {
	AccountID uuid.UUID
}

// RestoreMember brings a deleted member back to the status it had, with every grant
// intact, within RestoreWindow of the deletion (restore_window_passed after it); it takes
// a seat if that status holds one. Admins and above.
func (w *Workspace) RestoreMember(by Actor, cmd RestoreMember, now time.Time) ([]Event, error) {
	if err := requireAccount(cmd.AccountID); err != nil {
		return nil, err
	}
	_, target, err := w.subject(by, cmd.AccountID, actRestore)
	if err != nil {
		return nil, err
	}
	if now.After(restoreDeadline(target)) {
		return nil, conflict(CodeRestoreWindowPassed, "the member could be restored until %s", restoreDeadline(target).Format(time.RFC3339))
	}
	if target.PreviousStatus.HoldsSeat() {
		if err := w.requireSeat(); err != nil {
			return nil, err
		}
	}
	return []Event{MemberRestored{AccountID: cmd.AccountID, Status: target.PreviousStatus}}, nil
}

func restoreDeadline(e RosterEntry) time.Time { return e.DeletedAt.Add(RestoreWindow) }

// PurgeMember ends a deleted membership for good.
type PurgeMember struct {
	AccountID uuid.UUID
}

// PurgeMember purges a member deleted more than RestoreWindow ago; the system only, as
// scheduled work, so that no person can cut a restore window short.
func (w *Workspace) PurgeMember(by Actor, cmd PurgeMember, now time.Time) ([]Event, error) {
	if err := requireAccount(cmd.AccountID); err != nil {
		return nil, err
	}
	if err := w.requireSystem(by, "purge members"); err != nil {
		return nil, err
	}
	target, err := w.onRoster(cmd.AccountID)
	if err != nil {
		return nil, err
	}
	if err := actPurge.check(by, RoleOwner, cmd.AccountID, target); err != nil {
		return nil, err
	}
	if !now.After(restoreDeadline(target)) {
		return nil, conflict(CodeInvalidTransition, "the member can be restored until %s and is purged only after", restoreDeadline(target).Format(time.RFC3339))
	}
	return []Event{MemberPurged{AccountID: cmd.AccountID}}, nil
}

// SendWelcomeEmail records that the membership's welcome email is to be sent.
type SendWelcomeEmail struct {
	AccountID uuid.UUID
}

// SendWelcomeEmail sends an active member their welcome email, at most once per
// membership (already_sent); admins and above.
func (w *Workspace) SendWelcomeEmail(by Actor, cmd SendWelcomeEmail, now time.Time) ([]Event, error) {
	if err := requireAccount(cmd.AccountID); err != nil {
		return nil, err
	}
	_, target, err := w.subject(by, cmd.AccountID, actSendWelcome)
	if err != nil {
		return nil, err
	}
	if target.WelcomeSent {
		return nil, conflict(CodeAlreadySent, "the welcome email of this membership was already sent")
	}
	return []Event{WelcomeEmailSent{AccountID: cmd.AccountID}}, nil
}
