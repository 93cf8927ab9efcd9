package domain

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

func invite(account uuid.UUID, role WorkspaceRole) func(*Workspace, Actor, time.Time) ([]Event, error) {
	return inviteWith(InviteUser{AccountID: account, Role: role, TokenHash: tokenHash})
}

func inviteWith(cmd InviteUser) func(*Workspace, Actor, time.Time) ([]Event, error) {
	return func(w *Workspace, by Actor, now time.Time) ([]Event, error) { return w.InviteUser(by, cmd, now) }
}

func TestInviteUser(t *testing.T) {
	full := slices.Concat(created(3), joined(adminID, RoleAdmin), invited(memberID, RoleMember))
	runRoster(t, []rosterCase{
		{name: "invited for the default 7 days", given: staff(), by: byAdmin, when: invite(targetID, RoleManager),
			then: []Event{MemberInvited{AccountID: targetID, Role: RoleManager, TokenHash: tokenHash, ExpiresAt: now.Add(7 * 24 * time.Hour)}}},
		{name: "invited for a day", given: staff(), by: byAdmin,
			when: inviteWith(InviteUser{AccountID: targetID, Role: RoleMember, TokenHash: tokenHash, TTL: 24 * time.Hour}),
			then: []Event{MemberInvited{AccountID: targetID, Role: RoleMember, TokenHash: tokenHash, ExpiresAt: now.Add(24 * time.Hour)}}},
		{name: "an admin invites an admin", given: staff(), by: byAdmin, when: invite(targetID, RoleAdmin),
			then: []Event{MemberInvited{AccountID: targetID, Role: RoleAdmin, TokenHash: tokenHash, ExpiresAt: now.Add(DefaultInvitationTTL)}}},
		{name: "as owner", given: staff(), by: byOwner, when: invite(targetID, RoleOwner), err: CodeValidationFailed},
		{name: "with a role that does not exist", given: staff(), by: byAdmin, when: invite(targetID, "guest"), err: CodeValidationFailed},
		{name: "with a clear token instead of its hash", given: staff(), by: byAdmin,
			when: inviteWith(InviteUser{AccountID: targetID, Role: RoleMember, TokenHash: "token"}), err: CodeValidationFailed},
		{name: "for a negative time", given: staff(), by: byAdmin,
			when: inviteWith(InviteUser{AccountID: targetID, Role: RoleMember, TokenHash: tokenHash, TTL: -time.Hour}), err: CodeValidationFailed},
		{name: "into a full plan", given: full, by: byAdmin, when: invite(targetID, RoleMember), err: CodeQuotaExceeded},
		{name: "into a plan freed by a revocation", given: slices.Concat(full, []Event{InvitationRevoked{AccountID: memberID}}), by: byAdmin,
			when: invite(targetID, RoleMember), then: []Event{MemberInvited{AccountID: targetID, Role: RoleMember, TokenHash: tokenHash, ExpiresAt: now.Add(DefaultInvitationTTL)}}},
		{name: "into a plan freed by a deactivation", given: slices.Concat(full, []Event{InvitationAccepted{AccountID: memberID}}, deactivated(memberID)), by: byAdmin,
			when: invite(targetID, RoleMember), then: []Event{MemberInvited{AccountID: targetID, Role: RoleMember, TokenHash: tokenHash, ExpiresAt: now.Add(DefaultInvitationTTL)}}},
		{name: "into a plan freed by a deletion", given: slices.Concat(full, deletedAt(memberID, StatusInvited, t0)), by: byAdmin,
			when: invite(targetID, RoleMember), then: []Event{MemberInvited{AccountID: targetID, Role: RoleMember, TokenHash: tokenHash, ExpiresAt: now.Add(DefaultInvitationTTL)}}},
		{name: "a pending account takes no seat", given: slices.Concat(created(2), requested(memberID)), by: byOwner,
			when: invite(targetID, RoleMember), then: []Event{MemberInvited{AccountID: targetID, Role: RoleMember, TokenHash: tokenHash, ExpiresAt: now.Add(DefaultInvitationTTL)}}},
	})
}

func TestInviteUserListsEveryBadField(t *testing.T) {
	w := replayWorkspace(staff())
	_, err := w.InviteUser(byAdmin, InviteUser{Role: RoleOwner, TokenHash: "x", TTL: 91 * 24 * time.Hour}, now)
	want := []string{"account_id", "role", "token_hash", "ttl"}
	if got := fieldsOf(err); !slices.Equal(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
}

// One membership per account: every status on the roster refuses a second one.
func TestInviteUserRefusesAccountsOnTheRoster(t *testing.T) {
	refusal := map[MemberStatus]string{
		StatusInvited: CodeAlreadyMember, StatusPending: CodeAlreadyMember, StatusActive: CodeAlreadyMember,
		StatusSuspended: CodeAlreadyMember, StatusDeactivated: CodeAlreadyMember,
		StatusDeleted: CodeMemberDeleted, StatusPurged: CodeInvalidTransition,
	}
	for _, status := range MemberStatuses() {
		runRoster(t, []rosterCase{{
			name: string(status), given: slices.Concat(staff(), inStatus(targetID, status)),
			by: byAdmin, when: invite(targetID, RoleMember), err: refusal[status],
		}})
	}
}

func TestMemberDeletedNamesTheRestorableMember(t *testing.T) {
	w := replayWorkspace(slices.Concat(staff(), inStatus(targetID, StatusDeleted)))
	_, err := w.InviteUser(byAdmin, InviteUser{AccountID: targetID, Role: RoleMember, TokenHash: tokenHash}, now)
	e, ok := err.(*Error)
	if !ok || e.Kind != KindConflict || e.Details["account_id"] != targetID.String() {
		t.Fatalf("got %#v", err)
	}
}

func accept(hash string) func(*Workspace, Actor, time.Time) ([]Event, error) {
	return func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.AcceptInvitation(by, AcceptInvitation{AccountID: targetID, TokenHash: hash}, now)
	}
}

func TestAcceptInvitation(t *testing.T) {
	waiting := slices.Concat(staff(), invited(targetID, RoleMember))
	expiresAt := t0.Add(DefaultInvitationTTL)
	resent := slices.Concat(waiting, []Event{InvitationResent{AccountID: targetID, TokenHash: otherTokenHash, ExpiresAt: expiresAt.Add(time.Hour)}})
	runRoster(t, []rosterCase{
		{name: "with the right token", given: waiting, by: byTarget, when: accept(tokenHash), then: []Event{InvitationAccepted{AccountID: targetID}}},
		{name: "a second before expiry", given: waiting, by: byTarget, at: expiresAt.Add(-time.Second), when: accept(tokenHash), then: []Event{InvitationAccepted{AccountID: targetID}}},
		{name: "at expiry", given: waiting, by: byTarget, at: expiresAt, when: accept(tokenHash), err: CodeInvitationExpired},
		{name: "with a wrong token", given: waiting, by: byTarget, when: accept(otherTokenHash), err: CodeInvitationNotFound},
		{name: "with a wrong and expired token", given: waiting, by: byTarget, at: expiresAt.Add(time.Hour), when: accept(otherTokenHash), err: CodeInvitationNotFound},
		{name: "without an invitation", given: staff(), by: byTarget, when: accept(tokenHash), err: CodeInvitationNotFound},
		{name: "revoked", given: slices.Concat(waiting, []Event{InvitationRevoked{AccountID: targetID}}), by: byTarget, when: accept(tokenHash), err: CodeInvitationNotFound},
		{name: "already accepted", given: slices.Concat(staff(), joined(targetID, RoleMember)), by: byTarget, when: accept(tokenHash), err: CodeInvitationNotFound},
		{name: "with the token replaced by a resend", given: resent, by: byTarget, when: accept(tokenHash), err: CodeInvitationNotFound},
		{name: "with the resent token after the first expiry", given: resent, by: byTarget, at: expiresAt.Add(time.Minute), when: accept(otherTokenHash), then: []Event{InvitationAccepted{AccountID: targetID}}},
		{name: "by someone else", given: waiting, by: byAdmin, when: accept(tokenHash), err: CodeForbidden},
		{name: "by a platform admin", given: waiting, by: byPlatformAdmin, when: accept(tokenHash), err: CodeForbidden},
		{name: "not a hash", given: waiting, by: byTarget, when: accept("token"), err: CodeValidationFailed},
	})
}

func TestAcceptedInvitationForgetsTheToken(t *testing.T) {
	w := replayWorkspace(slices.Concat(staff(), joined(targetID, RoleManager)))
	e, _ := w.Member(targetID)
	if e.Status != StatusActive || e.Role != RoleManager || e.TokenHash != "" || !e.InvitationExpiresAt.IsZero() {
		t.Fatalf("entry after acceptance: %+v", e)
	}
}

func TestResendAndRevokeInvitation(t *testing.T) {
	waiting := slices.Concat(staff(), invited(targetID, RoleMember))
	resend := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.ResendInvitation(by, ResendInvitation{AccountID: targetID, TokenHash: otherTokenHash, TTL: time.Hour}, now)
	}
	revoke := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.RevokeInvitation(by, RevokeInvitation{AccountID: targetID}, now)
	}
	runRoster(t, []rosterCase{
		{name: "resent", given: waiting, by: byAdmin, when: resend, then: []Event{InvitationResent{AccountID: targetID, TokenHash: otherTokenHash, ExpiresAt: now.Add(time.Hour)}}},
		{name: "resent after expiry", given: waiting, by: byAdmin, at: t0.Add(30 * 24 * time.Hour), when: resend,
			then: []Event{InvitationResent{AccountID: targetID, TokenHash: otherTokenHash, ExpiresAt: t0.Add(30*24*time.Hour + time.Hour)}}},
		{name: "resent to a stranger", given: staff(), by: byAdmin, when: resend, err: CodeNotFound},
		{name: "revoked", given: waiting, by: byAdmin, when: revoke, then: []Event{InvitationRevoked{AccountID: targetID}}},
		{name: "revoked for a stranger", given: staff(), by: byAdmin, when: revoke, err: CodeNotFound},
	})
}

func TestRevokedInvitationLeavesTheRoster(t *testing.T) {
	w := replayWorkspace(slices.Concat(created(2), invited(targetID, RoleMember), []Event{InvitationRevoked{AccountID: targetID}}))
	if _, ok := w.Member(targetID); ok || w.SeatsFree() != 1 {
		t.Fatalf("after revocation: on roster %v, %d seats free", ok, w.SeatsFree())
	}
}
