package domain

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

const day = 24 * time.Hour

// rosterCommand decides one roster command about account.
type rosterCommand func(w *Workspace, by Actor, account uuid.UUID, now time.Time) ([]Event, error)

// designLifecycle is the lifecycle table of docs/domain.md, written out again independently of
// the code's table, as the oracle the code is checked against.
var designLifecycle = []struct {
	command string
	from    []MemberStatus
	by      Actor
	at      time.Time // zero: now
	refusal string    // "" means invalid_transition
	decide  rosterCommand
}{
	{command: "AcceptInvitation", from: []MemberStatus{StatusInvited}, by: byTarget, refusal: CodeInvitationNotFound,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.AcceptInvitation(by, AcceptInvitation{AccountID: a, TokenHash: tokenHash}, now)
		}},
	{command: "ResendInvitation", from: []MemberStatus{StatusInvited}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.ResendInvitation(by, ResendInvitation{AccountID: a, TokenHash: otherTokenHash}, now)
		}},
	{command: "RevokeInvitation", from: []MemberStatus{StatusInvited}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.RevokeInvitation(by, RevokeInvitation{AccountID: a}, now)
		}},
	{command: "ApproveAccess", from: []MemberStatus{StatusPending}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.ApproveAccess(by, ApproveAccess{AccountID: a, Role: RoleMember}, now)
		}},
	{command: "RejectAccess", from: []MemberStatus{StatusPending}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.RejectAccess(by, RejectAccess{AccountID: a}, now)
		}},
	{command: "ChangeRole", from: []MemberStatus{StatusInvited, StatusActive, StatusSuspended}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.ChangeRole(by, ChangeRole{AccountID: a, Role: RoleManager}, now)
		}},
	{command: "DeactivateLicense", from: []MemberStatus{StatusActive, StatusSuspended}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.DeactivateLicense(by, DeactivateLicense{AccountID: a}, now)
		}},
	{command: "ReactivateLicense", from: []MemberStatus{StatusDeactivated}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.ReactivateLicense(by, ReactivateLicense{AccountID: a}, now)
		}},
	{command: "SuspendMember", from: []MemberStatus{StatusActive}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.SuspendMember(by, SuspendMember{AccountID: a, Reason: "unpaid invoices"}, now)
		}},
	{command: "ReinstateMember", from: []MemberStatus{StatusSuspended}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.ReinstateMember(by, ReinstateMember{AccountID: a}, now)
		}},
	{command: "DeleteMember", from: []MemberStatus{StatusInvited, StatusPending, StatusActive, StatusSuspended, StatusDeactivated}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.DeleteMember(by, DeleteMember{AccountID: a}, now)
		}},
	{command: "RestoreMember", from: []MemberStatus{StatusDeleted}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.RestoreMember(by, RestoreMember{AccountID: a}, now)
		}},
	{command: "PurgeMember", from: []MemberStatus{StatusDeleted}, by: bySystem, at: t0.Add(31 * day),
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.PurgeMember(by, PurgeMember{AccountID: a}, now)
		}},
	{command: "SendWelcomeEmail", from: []MemberStatus{StatusActive}, by: byAdmin,
		decide: func(w *Workspace, by Actor, a uuid.UUID, now time.Time) ([]Event, error) {
			return w.SendWelcomeEmail(by, SendWelcomeEmail{AccountID: a}, now)
		}},
}

// Every command from every status: accepted where the table allows it, refused with
// invalid_transition everywhere else.
func TestLifecycleTable(t *testing.T) {
	for _, row := range designLifecycle {
		t.Run(row.command, func(t *testing.T) {
			for _, status := range MemberStatuses() {
				w := replayWorkspace(slices.Concat(staff(), inStatus(targetID, status)))
				got, err := row.decide(w, row.by, targetID, orNow(row.at))
				allowed := slices.Contains(row.from, status)
				switch {
				case allowed && (err != nil || len(got) == 0):
					t.Errorf("from %s: want events, got %v, %v", status, show(got), err)
				case !allowed && !IsCode(err, cmpOr(row.refusal, CodeInvalidTransition)):
					t.Errorf("from %s: want %s, got %v, %v", status, cmpOr(row.refusal, CodeInvalidTransition), show(got), err)
				}
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// The owner is never deleted, deactivated, suspended or demoted, whoever asks.
func TestOwnerProtection(t *testing.T) {
	for _, row := range designLifecycle {
		if row.command == "AcceptInvitation" || row.command == "SendWelcomeEmail" {
			continue // acts the owner may be the subject of
		}
		for _, by := range []Actor{byAdmin, byPlatformAdmin} {
			by := by
			if row.by.IsSystem() {
				by = bySystem
			}
			w := replayWorkspace(staff())
			if _, err := row.decide(w, by, ownerID, orNow(row.at)); !IsCode(err, CodeOwnerProtected) {
				t.Errorf("%s of the owner by %s: %v", row.command, by, err)
			}
		}
	}
}

// Nobody deactivates, suspends, deletes or changes the role of themselves.
func TestSelfActions(t *testing.T) {
	for _, row := range designLifecycle {
		if !slices.Contains([]string{"ChangeRole", "DeactivateLicense", "SuspendMember", "DeleteMember"}, row.command) {
			continue
		}
		for _, self := range []uuid.UUID{adminID, ownerID} {
			w := replayWorkspace(staff())
			if _, err := row.decide(w, actorOf(self), self, now); !IsCode(err, CodeSelfAction) || KindOf(err) != KindForbidden {
				t.Errorf("%s of oneself as %s: %v", row.command, self, err)
			}
		}
	}
}

func TestChangeRole(t *testing.T) {
	change := func(account uuid.UUID, role WorkspaceRole) func(*Workspace, Actor, time.Time) ([]Event, error) {
		return func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.ChangeRole(by, ChangeRole{AccountID: account, Role: role}, now)
		}
	}
	runRoster(t, []rosterCase{
		{name: "promoted to admin", given: staff(), by: byAdmin, when: change(memberID, RoleAdmin), then: []Event{RoleChanged{AccountID: memberID, From: RoleMember, To: RoleAdmin}}},
		{name: "an admin demotes another admin", given: staff(), by: byAdmin, when: change(admin2ID, RoleViewer), then: []Event{RoleChanged{AccountID: admin2ID, From: RoleAdmin, To: RoleViewer}}},
		{name: "made auditor", given: staff(), by: byOwner, when: change(viewerID, RoleAuditor), then: []Event{RoleChanged{AccountID: viewerID, From: RoleViewer, To: RoleAuditor}}},
		{name: "same role changes nothing", given: staff(), by: byAdmin, when: change(memberID, RoleMember)},
		{name: "to owner", given: staff(), by: byOwner, when: change(adminID, RoleOwner), err: CodeValidationFailed},
		{name: "of the owner", given: staff(), by: byPlatformAdmin, when: change(ownerID, RoleAdmin), err: CodeOwnerProtected},
		{name: "of a stranger", given: staff(), by: byAdmin, when: change(outsiderID, RoleMember), err: CodeNotFound},
		{name: "by a manager", given: staff(), by: actorOf(managerID), when: change(memberID, RoleViewer), err: CodeForbidden},
	})
}

func TestSeatsFollowTheLifecycle(t *testing.T) {
	full := slices.Concat(created(2), joined(adminID, RoleAdmin))
	reactivate := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.ReactivateLicense(by, ReactivateLicense{AccountID: targetID}, now)
	}
	restore := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.RestoreMember(by, RestoreMember{AccountID: targetID}, now)
	}
	runRoster(t, []rosterCase{
		{name: "reactivated into a full plan", given: slices.Concat(created(3), joined(adminID, RoleAdmin), inStatus(targetID, StatusDeactivated), invited(memberID, RoleMember)),
			by: byAdmin, when: reactivate, err: CodeQuotaExceeded},
		{name: "reactivated into a free seat", given: slices.Concat(full, inStatus(targetID, StatusDeactivated), []Event{PlanChanged{Seats: 3}}),
			by: byAdmin, when: reactivate, then: []Event{LicenseReactivated{AccountID: targetID}}},
		{name: "restored active into a full plan", given: slices.Concat(created(3), joined(adminID, RoleAdmin), inStatus(targetID, StatusDeleted), invited(memberID, RoleMember)),
			by: byAdmin, when: restore, err: CodeQuotaExceeded},
		{name: "restored pending into a full plan", given: slices.Concat(full, requested(targetID), deletedAt(targetID, StatusPending, t0)),
			by: byAdmin, when: restore, then: []Event{MemberRestored{AccountID: targetID, Status: StatusPending}}},
		{name: "restored deactivated into a full plan", given: slices.Concat(full, joined(targetID, RoleMember), deactivated(targetID), deletedAt(targetID, StatusDeactivated, t0)),
			by: byAdmin, when: restore, then: []Event{MemberRestored{AccountID: targetID, Status: StatusDeactivated}}},
	})
	base := slices.Concat(created(5), joined(targetID, RoleMember))
	for _, c := range []struct {
		status MemberStatus
		story  []Event
		used   int
	}{
		{StatusActive, base, 2},
		{StatusSuspended, slices.Concat(base, suspended(targetID)), 2},
		{StatusDeactivated, slices.Concat(base, deactivated(targetID)), 1},
		{StatusDeleted, slices.Concat(base, deletedAt(targetID, StatusActive, t0)), 1},
		{StatusPurged, slices.Concat(base, deletedAt(targetID, StatusActive, t0), []Event{MemberPurged{AccountID: targetID}}), 1},
	} {
		if used := replayWorkspace(c.story).SeatsUsed(); used != c.used {
			t.Errorf("with a %s member: %d seats used, want %d", c.status, used, c.used)
		}
	}
}

func TestSuspendMember(t *testing.T) {
	suspend := func(cmd SuspendMember) func(*Workspace, Actor, time.Time) ([]Event, error) {
		return func(w *Workspace, by Actor, now time.Time) ([]Event, error) { return w.SuspendMember(by, cmd, now) }
	}
	until := time.Date(2025, 4, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	runRoster(t, []rosterCase{
		{name: "until a date, recorded in UTC", given: staff(), by: byAdmin, when: suspend(SuspendMember{AccountID: memberID, Reason: "audit", Until: &until}),
			then: []Event{MemberSuspended{AccountID: memberID, Reason: "audit", Until: new(until.UTC())}}},
		{name: "open-ended", given: staff(), by: byAdmin, when: suspend(SuspendMember{AccountID: memberID, Reason: "audit"}),
			then: []Event{MemberSuspended{AccountID: memberID, Reason: "audit"}}},
		{name: "without a reason", given: staff(), by: byAdmin, when: suspend(SuspendMember{AccountID: memberID}), err: CodeValidationFailed},
		{name: "until the past", given: staff(), by: byAdmin, when: suspend(SuspendMember{AccountID: memberID, Reason: "audit", Until: new(now)}), err: CodeValidationFailed},
		{name: "another admin", given: staff(), by: byAdmin, when: suspend(SuspendMember{AccountID: admin2ID, Reason: "audit"}),
			then: []Event{MemberSuspended{AccountID: admin2ID, Reason: "audit"}}},
	})
}

func TestDeleteRestoreAndPurge(t *testing.T) {
	deleteIt := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.DeleteMember(by, DeleteMember{AccountID: targetID}, now)
	}
	restore := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.RestoreMember(by, RestoreMember{AccountID: targetID}, now)
	}
	purge := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.PurgeMember(by, PurgeMember{AccountID: targetID}, now)
	}
	suspendedTarget := slices.Concat(staff(), inStatus(targetID, StatusSuspended))
	deleted := slices.Concat(suspendedTarget, deletedAt(targetID, StatusSuspended, t0))
	runRoster(t, []rosterCase{
		{name: "deleted, remembering the status", given: suspendedTarget, by: byAdmin, when: deleteIt,
			then: []Event{MemberDeleted{AccountID: targetID, PreviousStatus: StatusSuspended, DeletedAt: now}}},
		{name: "restored the next day", given: deleted, by: byAdmin, at: t0.Add(day), when: restore,
			then: []Event{MemberRestored{AccountID: targetID, Status: StatusSuspended}}},
		{name: "restored on the 30th day", given: deleted, by: byAdmin, at: t0.Add(RestoreWindow), when: restore,
			then: []Event{MemberRestored{AccountID: targetID, Status: StatusSuspended}}},
		{name: "restored a second too late", given: deleted, by: byAdmin, at: t0.Add(RestoreWindow + time.Second), when: restore, err: CodeRestoreWindowPassed},
		{name: "purged after 30 days", given: deleted, by: bySystem, at: t0.Add(RestoreWindow + time.Second), when: purge, then: []Event{MemberPurged{AccountID: targetID}}},
		{name: "purged on the 30th day", given: deleted, by: bySystem, at: t0.Add(RestoreWindow), when: purge, err: CodeInvalidTransition},
		{name: "purged by a platform admin", given: deleted, by: byPlatformAdmin, at: t0.Add(31 * day), when: purge, err: CodeForbidden},
		{name: "purged by the owner", given: deleted, by: byOwner, at: t0.Add(31 * day), when: purge, err: CodeForbidden},
		{name: "restored after a purge", given: slices.Concat(deleted, []Event{MemberPurged{AccountID: targetID}}), by: byAdmin, at: t0.Add(day), when: restore, err: CodeInvalidTransition},
	})
}

func TestRestoredMemberComesBackAsBefore(t *testing.T) {
	w := replayWorkspace(slices.Concat(staff(), joined(targetID, RoleManager), deletedAt(targetID, StatusActive, t0),
		[]Event{MemberRestored{AccountID: targetID, Status: StatusActive}}))
	e, _ := w.Member(targetID)
	if e.Status != StatusActive || e.Role != RoleManager || !e.DeletedAt.IsZero() || e.PreviousStatus != "" {
		t.Fatalf("restored entry %+v", e)
	}
}

func TestSendWelcomeEmail(t *testing.T) {
	send := func(account uuid.UUID) func(*Workspace, Actor, time.Time) ([]Event, error) {
		return func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.SendWelcomeEmail(by, SendWelcomeEmail{AccountID: account}, now)
		}
	}
	sent := slices.Concat(staff(), joined(targetID, RoleMember), []Event{WelcomeEmailSent{AccountID: targetID}})
	runRoster(t, []rosterCase{
		{name: "sent", given: staff(), by: byAdmin, when: send(memberID), then: []Event{WelcomeEmailSent{AccountID: memberID}}},
		{name: "sent twice", given: sent, by: byAdmin, when: send(targetID), err: CodeAlreadySent},
		{name: "sent again after a deactivation", given: slices.Concat(sent, deactivated(targetID), []Event{LicenseReactivated{AccountID: targetID}}),
			by: byAdmin, when: send(targetID), err: CodeAlreadySent},
		{name: "sent again after a restore", given: slices.Concat(sent, deletedAt(targetID, StatusActive, t0), []Event{MemberRestored{AccountID: targetID, Status: StatusActive}}),
			by: byAdmin, when: send(targetID), err: CodeAlreadySent},
		{name: "to the owner by the owner", given: staff(), by: byOwner, when: send(ownerID), then: []Event{WelcomeEmailSent{AccountID: ownerID}}},
		{name: "to the owner by an admin", given: staff(), by: byAdmin, when: send(ownerID), err: CodeForbidden},
	})
}

// Every roster command names a member; without one it is a validation error, whoever asks.
func TestRosterCommandsRequireAnAccount(t *testing.T) {
	for _, row := range designLifecycle {
		if _, err := row.decide(replayWorkspace(staff()), row.by, uuid.Nil, orNow(row.at)); !IsCode(err, CodeValidationFailed) {
			t.Errorf("%s without an account: %v", row.command, err)
		}
	}
}
