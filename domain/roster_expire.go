package domain

import (
	"time"

	"github.com/google/uuid"
)

// ExpireInvitation records that an unanswered invitation ran out.
type ExpireInvitation struct {
	AccountID uuid.UUID
}

// ExpireInvitation answers member.invitation_expired for an invitation whose expiry has
// passed at now: the invitee leaves the roster and the seat is free, as after a
// revocation. The system only, as scheduled work. An invitation still valid at now (it
// was resent since) or no longer pending (accepted, revoked, deleted) changes nothing:
// the scheduler may act on a read model that lags the roster.
func (w *Workspace) ExpireInvitation(by Actor, cmd ExpireInvitation, now time.Time) ([]Event, error) {
	if err := requireAccount(cmd.AccountID); err != nil {
		return nil, err
	}
	if err := w.requireSystem(by, "expire invitations"); err != nil {
		return nil, err
	}
	e, ok := w.roster[cmd.AccountID]
	if !ok || e.Status != StatusInvited || now.Before(e.InvitationExpiresAt) {
		return nil, nil
	}
	return []Event{InvitationExpired{AccountID: cmd.AccountID, ExpiresAt: e.InvitationExpiresAt}}, nil
}

// PurgeDue answers when a member deleted at deletedAt is due to be purged: the first
// instant after RestoreWindow, at the microsecond precision events keep time in, since
// RestoreMember still admits the last instant of the window.
func PurgeDue(deletedAt time.Time) time.Time {
	return utc(deletedAt.Add(RestoreWindow + time.Microsecond))
}
