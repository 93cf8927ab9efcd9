package domain

import (
	"slices"
	"testing"
	"time"
)

func TestRequestAccess(t *testing.T) {
	request := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.RequestAccess(by, RequestAccess{AccountID: targetID}, now)
	}
	runRoster(t, []rosterCase{
		{name: "requested", given: staff(), by: byTarget, when: request, then: []Event{AccessRequested{AccountID: targetID}}},
		{name: "into a full plan", given: slices.Concat(created(1)), by: byTarget, when: request, then: []Event{AccessRequested{AccountID: targetID}}},
		{name: "by someone else", given: staff(), by: byAdmin, when: request, err: CodeForbidden},
		{name: "by the system", given: staff(), by: bySystem, when: request, err: CodeForbidden},
		{name: "already pending", given: slices.Concat(staff(), requested(targetID)), by: byTarget, when: request, err: CodeAlreadyMember},
		{name: "already active", given: slices.Concat(staff(), joined(targetID, RoleMember)), by: byTarget, when: request, err: CodeAlreadyMember},
		{name: "deleted", given: slices.Concat(staff(), inStatus(targetID, StatusDeleted)), by: byTarget, when: request, err: CodeMemberDeleted},
		{name: "to a workspace that does not exist", by: byTarget, when: request, err: CodeNotFound},
	})
}

func TestPendingMemberHoldsNoSeatAndNoRole(t *testing.T) {
	w := replayWorkspace(slices.Concat(created(1), requested(targetID)))
	e, _ := w.Member(targetID)
	if e.Status != StatusPending || e.Role != "" || w.SeatsUsed() != 1 || w.IsActiveMember(targetID) {
		t.Fatalf("pending entry %+v, %d seats used", e, w.SeatsUsed())
	}
}

func TestApproveAndRejectAccess(t *testing.T) {
	approve := func(role WorkspaceRole) func(*Workspace, Actor, time.Time) ([]Event, error) {
		return func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.ApproveAccess(by, ApproveAccess{AccountID: targetID, Role: role}, now)
		}
	}
	reject := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.RejectAccess(by, RejectAccess{AccountID: targetID}, now)
	}
	pending := slices.Concat(staff(), requested(targetID))
	full := slices.Concat(created(2), joined(adminID, RoleAdmin), requested(targetID))
	runRoster(t, []rosterCase{
		{name: "approved", given: pending, by: byAdmin, when: approve(RoleViewer), then: []Event{AccessApproved{AccountID: targetID, Role: RoleViewer}}},
		{name: "approved as admin", given: pending, by: byAdmin, when: approve(RoleAdmin), then: []Event{AccessApproved{AccountID: targetID, Role: RoleAdmin}}},
		{name: "approved as owner", given: pending, by: byOwner, when: approve(RoleOwner), err: CodeValidationFailed},
		{name: "approved without a role", given: pending, by: byAdmin, when: approve(""), err: CodeValidationFailed},
		{name: "approved into a full plan", given: full, by: byAdmin, when: approve(RoleMember), err: CodeQuotaExceeded},
		{name: "approved for a stranger", given: staff(), by: byAdmin, when: approve(RoleMember), err: CodeNotFound},
		{name: "rejected", given: pending, by: byAdmin, when: reject, then: []Event{AccessRejected{AccountID: targetID}}},
		{name: "rejected in a full plan", given: full, by: byAdmin, when: reject, then: []Event{AccessRejected{AccountID: targetID}}},
	})
}

func TestApprovedMemberTakesASeatAndRejectedLeaves(t *testing.T) {
	w := replayWorkspace(slices.Concat(created(3), requested(targetID), requested(memberID),
		[]Event{AccessApproved{AccountID: targetID, Role: RoleMember}, AccessRejected{AccountID: memberID}}))
	if !w.IsActiveMember(targetID) || w.SeatsUsed() != 2 {
		t.Fatalf("approved member active %v, %d seats used", w.IsActiveMember(targetID), w.SeatsUsed())
	}
	if _, ok := w.Member(memberID); ok {
		t.Fatal("a rejected request stays on the roster")
	}
}
