package domain

import (
	"slices"
	"testing"
	"time"
)

func expireInvitation(w *Workspace, by Actor, now time.Time) ([]Event, error) {
	return w.ExpireInvitation(by, ExpireInvitation{AccountID: targetID}, now)
}

func TestExpireInvitation(t *testing.T) {
	expiresAt := t0.Add(DefaultInvitationTTL)
	full := slices.Concat(created(2), invited(targetID, RoleMember))
	expired := slices.Concat(full, []Event{InvitationExpired{AccountID: targetID, ExpiresAt: expiresAt}})
	renewed := slices.Concat(full, []Event{InvitationResent{AccountID: targetID, TokenHash: otherTokenHash, ExpiresAt: expiresAt.Add(time.Hour)}})
	runRoster(t, []rosterCase{
		{name: "expired at its expiry", given: full, by: bySystem, at: expiresAt, when: expireInvitation,
			then: []Event{InvitationExpired{AccountID: targetID, ExpiresAt: expiresAt}}},
		{name: "expired later, still at its expiry", given: full, by: bySystem, at: expiresAt.Add(time.Hour), when: expireInvitation,
			then: []Event{InvitationExpired{AccountID: targetID, ExpiresAt: expiresAt}}},
		{name: "not before its expiry", given: full, by: bySystem, at: expiresAt.Add(-time.Microsecond), when: expireInvitation},
		{name: "a resent invitation runs from its new expiry", given: renewed, by: bySystem, at: expiresAt, when: expireInvitation},
		{name: "an accepted invitation never expires", given: slices.Concat(full, []Event{InvitationAccepted{AccountID: targetID}}),
			by: bySystem, at: expiresAt, when: expireInvitation},
		{name: "a deleted invitee is left to the purge", given: slices.Concat(full, deletedAt(targetID, StatusInvited, t0)),
			by: bySystem, at: expiresAt, when: expireInvitation},
		{name: "twice changes nothing", given: expired, by: bySystem, at: expiresAt, when: expireInvitation},
		{name: "by an admin", given: slices.Concat(staff(), invited(targetID, RoleMember)), by: byAdmin, at: expiresAt, when: expireInvitation, err: CodeForbidden},
		{name: "by the owner", given: full, by: byOwner, at: expiresAt, when: expireInvitation, err: CodeForbidden},
	})
}

// An expired invitation is over, as a revoked one is: its seat is free, its token
// accepts nothing, it cannot be resent, and the account can be invited afresh.
func TestAfterAnInvitationExpired(t *testing.T) {
	expiresAt := t0.Add(DefaultInvitationTTL)
	expired := slices.Concat(created(2), invited(targetID, RoleMember), []Event{InvitationExpired{AccountID: targetID, ExpiresAt: expiresAt}})
	accept := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.AcceptInvitation(by, AcceptInvitation{AccountID: targetID, TokenHash: tokenHash}, now)
	}
	resend := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.ResendInvitation(by, ResendInvitation{AccountID: targetID, TokenHash: otherTokenHash}, now)
	}
	at := expiresAt.Add(time.Hour)
	runRoster(t, []rosterCase{
		{name: "the seat is free", given: expired, by: byOwner, at: at, when: invite(outsiderID, RoleMember),
			then: []Event{MemberInvited{AccountID: outsiderID, Role: RoleMember, TokenHash: tokenHash, ExpiresAt: at.Add(DefaultInvitationTTL)}}},
		{name: "accepting is refused", given: expired, by: byTarget, at: at, when: accept, err: CodeInvitationNotFound},
		{name: "resending is refused", given: expired, by: byOwner, at: at, when: resend, err: CodeNotFound},
		{name: "the account is invited afresh", given: expired, by: byOwner, at: at, when: invite(targetID, RoleViewer),
			then: []Event{MemberInvited{AccountID: targetID, Role: RoleViewer, TokenHash: tokenHash, ExpiresAt: at.Add(DefaultInvitationTTL)}}},
	})
	w := replayWorkspace(expired)
	if _, on := w.Member(targetID); on || w.SeatsFree() != 1 {
		t.Fatalf("after expiry: on roster %v, %d seats free", on, w.SeatsFree())
	}
}

func TestPurgeDueIsTheFirstInstantPurgeMemberAdmits(t *testing.T) {
	deleted := slices.Concat(created(2), joined(targetID, RoleMember), deletedAt(targetID, StatusActive, t0))
	due := PurgeDue(t0)
	purge := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.PurgeMember(by, PurgeMember{AccountID: targetID}, now)
	}
	runRoster(t, []rosterCase{
		{name: "purged at its due time", given: deleted, by: bySystem, at: due, when: purge, then: []Event{MemberPurged{AccountID: targetID}}},
		{name: "not a microsecond before", given: deleted, by: bySystem, at: due.Add(-time.Microsecond), when: purge, err: CodeInvalidTransition},
	})
}
