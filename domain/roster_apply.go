package domain

import (
	"time"

	"github.com/google/uuid"
)

// applyRoster folds roster events; each sets the member's status the lifecycle table of
// docs/domain.md names.
func (w *Workspace) applyRoster(e Event) {
	switch e := e.(type) {
	case MemberInvited:
		w.put(e.AccountID, &RosterEntry{Status: StatusInvited, Role: e.Role, TokenHash: e.TokenHash, InvitationExpiresAt: e.ExpiresAt})
	case InvitationResent:
		w.update(e.AccountID, func(m *RosterEntry) { m.TokenHash, m.InvitationExpiresAt = e.TokenHash, e.ExpiresAt })
	case InvitationAccepted:
		w.update(e.AccountID, func(m *RosterEntry) { m.Status, m.TokenHash, m.InvitationExpiresAt = StatusActive, "", time.Time{} })
	case InvitationRevoked:
		w.put(e.AccountID, nil)
	case InvitationExpired:
		w.put(e.AccountID, nil)
	case AccessRequested:
		w.put(e.AccountID, &RosterEntry{Status: StatusPending})
	case AccessApproved:
		w.update(e.AccountID, func(m *RosterEntry) { m.Status, m.Role = StatusActive, e.Role })
	case AccessRejected:
		w.put(e.AccountID, nil)
	case RoleChanged:
		w.update(e.AccountID, func(m *RosterEntry) { m.Role = e.To })
	default:
		w.applyLifecycle(e)
	}
}

func (w *Workspace) applyLifecycle(e Event) {
	switch e := e.(type) {
	case LicenseDeactivated:
		w.setStatus(e.AccountID, StatusDeactivated)
	case LicenseReactivated:
		w.setStatus(e.AccountID, StatusActive)
	case MemberSuspended:
		w.update(e.AccountID, func(m *RosterEntry) { m.Status, m.SuspendedUntil = StatusSuspended, deref(e.Until) })
	case MemberReinstated:
		w.update(e.AccountID, func(m *RosterEntry) { m.Status, m.SuspendedUntil = StatusActive, time.Time{} })
	case MemberDeleted:
		w.update(e.AccountID, func(m *RosterEntry) {
			m.Status, m.PreviousStatus, m.DeletedAt = StatusDeleted, e.PreviousStatus, e.DeletedAt
		})
	case MemberRestored:
		w.update(e.AccountID, func(m *RosterEntry) { m.Status, m.PreviousStatus, m.DeletedAt = e.Status, "", time.Time{} })
	case MemberPurged:
		w.setStatus(e.AccountID, StatusPurged)
	case WelcomeEmailSent:
		w.update(e.AccountID, func(m *RosterEntry) { m.WelcomeSent = true })
	}
}

func (w *Workspace) setStatus(account uuid.UUID, s MemberStatus) {
	w.update(account, func(m *RosterEntry) { m.Status = s })
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
