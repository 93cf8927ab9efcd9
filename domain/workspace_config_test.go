package domain

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestCreateWorkspace(t *testing.T) {
	create := func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
		return w.CreateWorkspace(by, CreateWorkspace{WorkspaceID: wsID, Name: "Lab", Seats: 5, OwnerAccountID: ownerID}, now)
	}
	want := []Event{WorkspaceCreated{WorkspaceID: wsID, Name: "Lab", Seats: 5, OwnerAccountID: ownerID}}
	runRoster(t, []rosterCase{
		{name: "by a platform admin", by: byPlatformAdmin, when: create, then: want},
		{name: "by the system", by: bySystem, when: create, then: want},
		{name: "twice", given: created(5), by: byPlatformAdmin, when: create, err: CodeWorkspaceExists},
	})
}

func TestCreateWorkspaceListsEveryBadField(t *testing.T) {
	_, err := new(Workspace).CreateWorkspace(byPlatformAdmin, CreateWorkspace{Name: " ", Seats: 0}, now)
	want := []string{"workspace_id", "name", "seats", "owner_account_id"}
	if got := fieldsOf(err); !slices.Equal(got, want) {
		t.Fatalf("fields %v, want %v (err %v)", got, want, err)
	}
}

func TestCreatedWorkspacePutsTheOwnerOnTheRoster(t *testing.T) {
	w := replayWorkspace(created(5))
	owner, ok := w.Member(ownerID)
	if !ok || owner.Status != StatusActive || owner.Role != RoleOwner || w.Owner() != ownerID {
		t.Fatalf("owner entry %+v, ok %v", owner, ok)
	}
	if w.SeatsUsed() != 1 || w.SeatsFree() != 4 || w.ID() != wsID || w.Name() != "Lab" {
		t.Fatalf("seats %d used, %d free; id %s; name %q", w.SeatsUsed(), w.SeatsFree(), w.ID(), w.Name())
	}
}

func TestRenameWorkspace(t *testing.T) {
	rename := func(name string) func(*Workspace, Actor, time.Time) ([]Event, error) {
		return func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.RenameWorkspace(by, RenameWorkspace{Name: name}, now)
		}
	}
	runRoster(t, []rosterCase{
		{name: "renamed", given: staff(), by: byAdmin, when: rename("Lab B"), then: []Event{WorkspaceRenamed{Name: "Lab B"}}},
		{name: "same name changes nothing", given: staff(), by: byAdmin, when: rename("Lab")},
		{name: "blank", given: staff(), by: byAdmin, when: rename("  "), err: CodeValidationFailed},
		{name: "control characters", given: staff(), by: byAdmin, when: rename("Lab\x00"), err: CodeValidationFailed},
		{name: "unknown workspace", by: byPlatformAdmin, when: rename("Lab B"), err: CodeNotFound},
	})
}

func TestChangePlan(t *testing.T) {
	plan := func(seats int) func(*Workspace, Actor, time.Time) ([]Event, error) {
		return func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.ChangePlan(by, ChangePlan{Seats: seats}, now)
		}
	}
	three := slices.Concat(created(5), joined(adminID, RoleAdmin), invited(memberID, RoleMember), requested(viewerID))
	runRoster(t, []rosterCase{
		{name: "grown", given: three, by: byOwner, when: plan(10), then: []Event{PlanChanged{Seats: 10}}},
		{name: "shrunk to the seats in use", given: three, by: byOwner, when: plan(3), then: []Event{PlanChanged{Seats: 3}}},
		{name: "below the seats in use", given: three, by: byOwner, when: plan(2), err: CodePlanBelowUsage},
		{name: "same plan changes nothing", given: three, by: byOwner, when: plan(5)},
		{name: "zero seats", given: three, by: byOwner, when: plan(0), err: CodeValidationFailed},
		{name: "by an admin", given: three, by: byAdmin, when: plan(10), err: CodeForbidden},
	})
}

func TestTransferOwnership(t *testing.T) {
	transfer := func(to uuid.UUID) func(*Workspace, Actor, time.Time) ([]Event, error) {
		return func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.TransferOwnership(by, TransferOwnership{To: to}, now)
		}
	}
	runRoster(t, []rosterCase{
		{name: "to an active admin", given: staff(), by: byOwner, when: transfer(adminID), then: []Event{OwnershipTransferred{From: ownerID, To: adminID}}},
		{name: "by a platform admin", given: staff(), by: byPlatformAdmin, when: transfer(adminID), then: []Event{OwnershipTransferred{From: ownerID, To: adminID}}},
		{name: "to a manager", given: staff(), by: byOwner, when: transfer(managerID), err: CodeInvalidTransition},
		{name: "to a suspended admin", given: staff(), by: byOwner, when: transfer(suspendedAdminID), err: CodeInvalidTransition},
		{name: "to a deactivated admin", given: staff(), by: byOwner, when: transfer(deactivatedAdminID), err: CodeInvalidTransition},
		{name: "to a non-member", given: staff(), by: byOwner, when: transfer(outsiderID), err: CodeNotFound},
		{name: "to the owner changes nothing", given: staff(), by: byOwner, when: transfer(ownerID)},
		{name: "by an admin", given: staff(), by: byAdmin, when: transfer(admin2ID), err: CodeForbidden},
	})
}

func TestTransferredOwnershipDemotesTheOldOwner(t *testing.T) {
	w := replayWorkspace(slices.Concat(staff(), []Event{OwnershipTransferred{From: ownerID, To: adminID}}))
	old, _ := w.Member(ownerID)
	if w.Owner() != adminID || old.Role != RoleAdmin {
		t.Fatalf("owner %s, old owner's role %s", w.Owner(), old.Role)
	}
	checkRosterInvariants(t, w)
	// The new owner now enjoys owner protection, the old one does not.
	if _, err := w.DeleteMember(byOwner, DeleteMember{AccountID: adminID}, now); !IsCode(err, CodeOwnerProtected) {
		t.Fatalf("deleting the new owner: %v", err)
	}
}

func TestSetModule(t *testing.T) {
	set := func(cmd SetModule) func(*Workspace, Actor, time.Time) ([]Event, error) {
		return func(w *Workspace, by Actor, now time.Time) ([]Event, error) { return w.SetModule(by, cmd, now) }
	}
	booking := SetModule{Module: ModuleBooking, Enabled: true, MinRole: RoleMember}
	runRoster(t, []rosterCase{
		{name: "enabled", given: created(5), by: byOwner, when: set(booking), then: []Event{ModuleSet{Module: ModuleBooking, Enabled: true, MinRole: RoleMember}}},
		{name: "same setting changes nothing", given: staff(), by: byAdmin, when: set(booking)},
		{name: "disabled", given: staff(), by: byAdmin, when: set(SetModule{Module: ModuleBooking, MinRole: RoleMember}), then: []Event{ModuleSet{Module: ModuleBooking, MinRole: RoleMember}}},
		{name: "users module turned off", given: staff(), by: byOwner, when: set(SetModule{Module: ModuleUsers, MinRole: RoleAdmin}), err: CodeValidationFailed},
		{name: "users module opened to members", given: staff(), by: byOwner, when: set(SetModule{Module: ModuleUsers, Enabled: true, MinRole: RoleMember}), err: CodeValidationFailed},
		{name: "users module as it is", given: staff(), by: byOwner, when: set(SetModule{Module: ModuleUsers, Enabled: true, MinRole: RoleAdmin})},
		{name: "bad key", given: staff(), by: byOwner, when: set(SetModule{Module: "Booking!", Enabled: true, MinRole: RoleMember}), err: CodeValidationFailed},
		{name: "bad minimum role", given: staff(), by: byOwner, when: set(SetModule{Module: "wiki", Enabled: true, MinRole: "guest"}), err: CodeValidationFailed},
	})
}

func TestModuleAccessFollowsMinimumRoleAndStatus(t *testing.T) {
	w := replayWorkspace(slices.Concat(staff(), []Event{ModuleSet{Module: "wiki", Enabled: true, MinRole: RoleManager}}))
	cases := []struct {
		account uuid.UUID
		module  string
		want    bool
	}{
		{managerID, "wiki", true},
		{memberID, "wiki", false},
		{ownerID, "wiki", true},
		{suspendedAdminID, "wiki", false},
		{memberID, ModuleBooking, true},
		{viewerID, ModuleBooking, false},
		{adminID, ModuleUsers, true},
		{managerID, ModuleUsers, false},
		{ownerID, "chat", false},
	}
	for _, c := range cases {
		if got := w.MayUseModule(c.account, c.module); got != c.want {
			t.Errorf("MayUseModule(%s, %s) = %v", c.account, c.module, got)
		}
	}
}
