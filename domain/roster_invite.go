package domain

import (
	"crypto/subtle"
	"time"

	"github.com/google/uuid"
)

// Invitation lifetimes.
const (
	// DefaultInvitationTTL applies when a command leaves TTL zero.
	DefaultInvitationTTL = 7 * 24 * time.Hour
	// MaxInvitationTTL bounds how long an unanswered invitation may hold a seat.
	MaxInvitationTTL = 90 * 24 * time.Hour
)

// InviteUser puts an existing account on the roster as invited. The caller registered the
// account (and claimed its email) before, and sends the token whose hash this carries.
type InviteUser struct {
	AccountID uuid.UUID
	Role      WorkspaceRole
	TokenHash string        // HashToken of the token sent to the invitee
	TTL       time.Duration // 0: DefaultInvitationTTL
}

func (c InviteUser) validate() error {
	var v validator
	v.id("account_id", c.AccountID)
	v.grantableRole("role", c.Role)
	v.tokenHash("token_hash", c.TokenHash)
	v.ttl("ttl", c.TTL)
	return v.err()
}

func (v *validator) ttl(field string, ttl time.Duration) {
	if ttl < 0 || ttl > MaxInvitationTTL {
		v.fail(field, "must be between 0 (the default of 7 days) and 90 days")
	}
}

// expiry answers when an invitation sent now with ttl expires.
func expiry(now time.Time, ttl time.Duration) time.Time {
	if ttl == 0 {
		ttl = DefaultInvitationTTL
	}
	return utc(now.Add(ttl))
}

// InviteUser invites an account; admins and above, never to a role above their own. The
// invitation takes a seat (quota_exceeded when none is free). An account already on the
// roster is already_member, or member_deleted (naming the account) when it can be restored.
func (w *Workspace) InviteUser(by Actor, cmd InviteUser, now time.Time) ([]Event, error) {
	if err := cmd.validate(); err != nil {
		return nil, err
	}
	role, err := w.requireRole(by, RoleAdmin, "invite members")
	if err != nil {
		return nil, err
	}
	if err := mayAssign(role, cmd.Role); err != nil {
		return nil, err
	}
	if err := w.requireNewcomer(cmd.AccountID); err != nil {
		return nil, err
	}
	if err := w.requireSeat(); err != nil {
		return nil, err
	}
	return []Event{MemberInvited{AccountID: cmd.AccountID, Role: cmd.Role, TokenHash: cmd.TokenHash, ExpiresAt: expiry(now, cmd.TTL)}}, nil
}

// requireNewcomer refuses an account that already has a membership: one per account.
func (w *Workspace) requireNewcomer(account uuid.UUID) error {
	e, ok := w.roster[account]
	switch {
	case !ok:
		return nil
	case e.Status == StatusDeleted:
		return memberDeleted(account)
	case e.Status == StatusPurged:
		return conflict(CodeInvalidTransition, "the membership of account %s was purged, which is final", account)
	default:
		return conflict(CodeAlreadyMember, "account %s is already a member (%s)", account, e.Status)
	}
}

// requireSeat refuses taking a seat the plan does not have.
func (w *Workspace) requireSeat() error {
	if w.SeatsFree() == 0 {
		return conflict(CodeQuotaExceeded, "all %d seats of the plan are in use", w.seats)
	}
	return nil
}

// AcceptInvitation is the invitee's answer, with the hash of the token they received.
type AcceptInvitation struct {
	AccountID uuid.UUID
	TokenHash string
}

// AcceptInvitation makes the invited account active; only the account itself may accept.
// A wrong token, or no pending invitation, is invitation_not_found (the two are not told
// apart, so a token cannot be probed); a right but expired one is invitation_expired.
func (w *Workspace) AcceptInvitation(by Actor, cmd AcceptInvitation, now time.Time) ([]Event, error) {
	var v validator
	v.id("account_id", cmd.AccountID)
	v.tokenHash("token_hash", cmd.TokenHash)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := w.requireSelf(by, cmd.AccountID, "accept its invitation"); err != nil {
		return nil, err
	}
	e, ok := w.roster[cmd.AccountID]
	if !ok || e.Status != StatusInvited || !sameHash(e.TokenHash, cmd.TokenHash) {
		return nil, &Error{Kind: KindNotFound, Code: CodeInvitationNotFound, Message: "no pending invitation matches this token"}
	}
	if !now.Before(e.InvitationExpiresAt) {
		return nil, conflict(CodeInvitationExpired, "the invitation expired at %s; ask for a new one", e.InvitationExpiresAt.Format(time.RFC3339))
	}
	return []Event{InvitationAccepted{AccountID: cmd.AccountID}}, nil
}

// sameHash compares in constant time, so response timing does not reveal how much of a
// guessed hash matched.
func sameHash(stored, given string) bool {
	return subtle.ConstantTimeCompare([]byte(stored), []byte(given)) == 1
}

// ResendInvitation replaces an invitation's token and expiry, such as after it expired.
type ResendInvitation struct {
	AccountID uuid.UUID
	TokenHash string
	TTL       time.Duration // 0: DefaultInvitationTTL
}

// ResendInvitation renews an invitation; admins and above. The old token stops working.
func (w *Workspace) ResendInvitation(by Actor, cmd ResendInvitation, now time.Time) ([]Event, error) {
	var v validator
	v.id("account_id", cmd.AccountID)
	v.tokenHash("token_hash", cmd.TokenHash)
	v.ttl("ttl", cmd.TTL)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, _, err := w.subject(by, cmd.AccountID, actResendInvitation); err != nil {
		return nil, err
	}
	return []Event{InvitationResent{AccountID: cmd.AccountID, TokenHash: cmd.TokenHash, ExpiresAt: expiry(now, cmd.TTL)}}, nil
}

// RevokeInvitation withdraws an invitation.
type RevokeInvitation struct {
	AccountID uuid.UUID
}

// RevokeInvitation removes the invited account from the roster, freeing its seat; admins
// and above.
func (w *Workspace) RevokeInvitation(by Actor, cmd RevokeInvitation, now time.Time) ([]Event, error) {
	return w.simpleAct(by, cmd.AccountID, actRevokeInvitation, InvitationRevoked{AccountID: cmd.AccountID})
}
