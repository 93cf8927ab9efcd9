package domain

import (
	"slices"
	"testing"
	"time"
)

// deletedWorkspace is staff() deleted by its owner at t0.
func deletedWorkspace() []Event {
	return append(staff(), WorkspaceDeleted{Reason: "the lab closes", DeletedAt: t0})
}

var restoreDeadline0 = t0.Add(RestoreWindow)

func deleteWS(reason string) func(*Workspace, Actor, time.Time) ([]Event, error) {
	return func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.DeleteWorkspace(by, DeleteWorkspace{Reason: reason}, now)
	}
}

func restoreWS(w *Workspace, by Actor, now time.Time) ([]Event, error) {
	return w.RestoreWorkspace(by, RestoreWorkspace{}, now)
}

func purgeWS(w *Workspace, by Actor, now time.Time) ([]Event, error) {
	return w.PurgeWorkspace(by, PurgeWorkspace{}, now)
}

func TestDeleteWorkspace(t *testing.T) {
	deleted := []Event{WorkspaceDeleted{Reason: "the lab closes", DeletedAt: now}}
	runRoster(t, []rosterCase{
		{name: "by the owner", given: staff(), by: byOwner, when: deleteWS("the lab closes"), then: deleted},
		{name: "by a platform admin", given: staff(), by: byPlatformAdmin, when: deleteWS("the lab closes"), then: deleted},
		{name: "by an admin", given: staff(), by: byAdmin, when: deleteWS("the lab closes"), err: CodeForbidden},
		{name: "by an outsider", given: staff(), by: actorOf(outsiderID), when: deleteWS("the lab closes"), err: CodeForbidden},
		{name: "by the system", given: staff(), by: bySystem, when: deleteWS("the lab closes"), err: CodeForbidden},
		{name: "without a reason", given: staff(), by: byOwner, when: deleteWS(""), err: CodeValidationFailed},
		{name: "twice", given: deletedWorkspace(), by: byOwner, when: deleteWS("again"), err: CodeWorkspaceDeleted},
		{name: "unknown workspace", by: byPlatformAdmin, when: deleteWS("x"), err: CodeNotFound},
	})
}

func TestRestoreWorkspace(t *testing.T) {
	restored := []Event{WorkspaceRestored{DeletedAt: t0}}
	purged := append(deletedWorkspace(), WorkspacePurged{DeletedAt: t0})
	runRoster(t, []rosterCase{
		{name: "by the owner", given: deletedWorkspace(), by: byOwner, when: restoreWS, then: restored},
		{name: "by a platform admin", given: deletedWorkspace(), by: byPlatformAdmin, when: restoreWS, then: restored},
		{name: "on the last instant of the window", given: deletedWorkspace(), by: byOwner, at: restoreDeadline0, when: restoreWS, then: restored},
		{name: "after the window", given: deletedWorkspace(), by: byOwner, at: restoreDeadline0.Add(time.Nanosecond), when: restoreWS, err: CodeRestoreWindowPassed},
		{name: "after the purge", given: purged, by: byOwner, at: restoreDeadline0.Add(time.Hour), when: restoreWS, err: CodeRestoreWindowPassed},
		{name: "by an admin", given: deletedWorkspace(), by: byAdmin, when: restoreWS, err: CodeForbidden},
		{name: "by the system", given: deletedWorkspace(), by: bySystem, when: restoreWS, err: CodeForbidden},
		{name: "not deleted", given: staff(), by: byOwner, when: restoreWS, err: CodeInvalidTransition},
		{name: "deleted and restored before", given: append(deletedWorkspace(), restored...), by: byOwner, when: restoreWS, err: CodeInvalidTransition},
		{name: "unknown workspace", by: byPlatformAdmin, when: restoreWS, err: CodeNotFound},
	})
}

func TestPurgeWorkspace(t *testing.T) {
	after := restoreDeadline0.Add(time.Nanosecond)
	purged := []Event{WorkspacePurged{DeletedAt: t0}}
	runRoster(t, []rosterCase{
		{name: "after the window", given: deletedWorkspace(), by: bySystem, at: after, when: purgeWS, then: purged},
		{name: "a second time changes nothing", given: append(deletedWorkspace(), purged...), by: bySystem, at: after, when: purgeWS},
		{name: "on the last instant of the window", given: deletedWorkspace(), by: bySystem, at: restoreDeadline0, when: purgeWS, err: CodeInvalidTransition},
		{name: "not deleted", given: staff(), by: bySystem, at: after, when: purgeWS, err: CodeInvalidTransition},
		{name: "restored", given: append(deletedWorkspace(), WorkspaceRestored{DeletedAt: t0}), by: bySystem, at: after, when: purgeWS, err: CodeInvalidTransition},
		{name: "by the owner", given: deletedWorkspace(), by: byOwner, at: after, when: purgeWS, err: CodeForbidden},
		{name: "by a platform admin", given: deletedWorkspace(), by: byPlatformAdmin, at: after, when: purgeWS, err: CodeForbidden},
		{name: "unknown workspace", by: bySystem, at: after, when: purgeWS, err: CodeNotFound},
	})
}

// TestDeletedWorkspaceRefusesEveryOtherCommand: nothing changes a deleted workspace, not
// even the system's scheduled work, so that a restore brings back what was deleted.
func TestDeletedWorkspaceRefusesEveryOtherCommand(t *testing.T) {
	given := append(deletedWorkspace(), inStatus(targetID, StatusActive)...)
	purged := append(slices.Clone(given), WorkspacePurged{DeletedAt: t0})
	commands := map[string]struct {
		by   Actor
		when func(*Workspace, Actor, time.Time) ([]Event, error)
	}{
		"rename": {byOwner, func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.RenameWorkspace(by, RenameWorkspace{Name: "Other"}, now)
		}},
		"change the plan": {byPlatformAdmin, func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.ChangePlan(by, ChangePlan{Seats: 60}, now)
		}},
		"invite": {byAdmin, func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.InviteUser(by, InviteUser{AccountID: named("new"), Role: RoleMember, TokenHash: tokenHash}, now)
		}},
		"delete a member": {byOwner, func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.DeleteMember(by, DeleteMember{AccountID: targetID}, now)
		}},
		"purge a member (system)": {bySystem, func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.PurgeMember(by, PurgeMember{AccountID: targetID}, now)
		}},
	}
	for name, c := range commands {
		t.Run(name, func(t *testing.T) {
			got, err := c.when(replayWorkspace(given), c.by, now)
			expect(t, got, err, nil, CodeWorkspaceDeleted)
			got, err = c.when(replayWorkspace(purged), c.by, now)
			expect(t, got, err, nil, CodeNotFound)
		})
	}
	t.Run("grant a member access", func(t *testing.T) {
		got, err := replayAccess(targetID, nil).SetContractInfo(replayWorkspace(given), byOwner, SetContractInfo{Reference: "C-1"}, now)
		expect(t, got, err, nil, CodeWorkspaceDeleted)
	})
}

func TestDeletedWorkspaceReads(t *testing.T) {
	w := replayWorkspace(deletedWorkspace())
	cases := []struct {
		name string
		by   Actor
		read Read
		code string // "" admitted
	}{
		{"auditor reads the history", actorOf(auditorID), ReadHistory, ""},
		{"platform admin reads the history", byPlatformAdmin, ReadHistory, ""},
		{"owner reads the history", byOwner, ReadHistory, CodeWorkspaceDeleted},
		{"auditor reads the workspace", actorOf(auditorID), ReadWorkspace, CodeWorkspaceDeleted},
		{"owner reads the workspace", byOwner, ReadWorkspace, CodeWorkspaceDeleted},
		{"admin reads the members", byAdmin, ReadMembers, CodeWorkspaceDeleted},
		{"platform admin reads the members", byPlatformAdmin, ReadMembers, CodeWorkspaceDeleted},
		{"outsider reads the workspace", actorOf(outsiderID), ReadWorkspace, CodeNotFound},
		{"outsider reads the history", actorOf(outsiderID), ReadHistory, CodeNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := w.AuthorizeDeletedRead(c.by, c.read)
			if (c.code == "" && err != nil) || (c.code != "" && !IsCode(err, c.code)) {
				t.Fatalf("got %v, want %q", err, c.code)
			}
		})
	}
	purged := replayWorkspace(append(deletedWorkspace(), WorkspacePurged{DeletedAt: t0}))
	if err := purged.AuthorizeDeletedRead(byOwner, ReadWorkspace); !IsCode(err, CodeNotFound) {
		t.Errorf("the owner reads a purged workspace: %v, want not_found", err)
	}
	if err := purged.AuthorizeDeletedRead(actorOf(auditorID), ReadHistory); err != nil {
		t.Errorf("the auditor reads a purged workspace's history: %v", err)
	}
}

// TestRestoredWorkspaceIsAsDeleted: plan, seats in use, roster and catalog come back.
func TestRestoredWorkspaceIsAsDeleted(t *testing.T) {
	before := replayWorkspace(staff())
	after := replayWorkspace(append(deletedWorkspace(), WorkspaceRestored{DeletedAt: t0}))
	if after.Deleted() || after.Seats() != before.Seats() || after.SeatsUsed() != before.SeatsUsed() ||
		!slices.Equal(after.MemberIDs(), before.MemberIDs()) {
		t.Fatalf("restored: deleted %v, seats %d/%d used, want %d/%d", after.Deleted(), after.SeatsUsed(), after.Seats(), before.SeatsUsed(), before.Seats())
	}
	for _, id := range before.MemberIDs() {
		if b, _ := before.Member(id); b != mustMember(t, after, id) {
			t.Errorf("member %s: %+v after the restore, want %+v", id, mustMember(t, after, id), b)
		}
	}
	if _, ok := after.Project(projectID); !ok {
		t.Error("the catalog lost a project")
	}
	if _, err := after.RenameWorkspace(byAdmin, RenameWorkspace{Name: "Open again"}, now); err != nil {
		t.Errorf("a restored workspace refuses commands: %v", err)
	}
}

func mustMember(t *testing.T, w *Workspace, id [16]byte) RosterEntry {
	t.Helper()
	e, ok := w.Member(id)
	if !ok {
		t.Fatalf("member %x is gone", id)
	}
	return e
}
