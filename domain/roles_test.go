package domain

import "testing"

func TestWorkspaceRoleRanks(t *testing.T) {
	want := map[WorkspaceRole]int{RoleOwner: 5, RoleAdmin: 4, RoleManager: 3, RoleMember: 2, RoleAuditor: 2, RoleViewer: 1, "": 0, "guest": 0}
	for role, rank := range want {
		if role.Rank() != rank {
			t.Errorf("%q.Rank() = %d, want %d", role, role.Rank(), rank)
		}
	}
	if !RoleAdmin.AtLeast(RoleManager) || RoleAuditor.AtLeast(RoleManager) || WorkspaceRole("").AtLeast("") {
		t.Error("AtLeast")
	}
}

func TestParseRoles(t *testing.T) {
	for _, r := range WorkspaceRoles() {
		if got, err := ParseWorkspaceRole(string(r)); err != nil || got != r {
			t.Errorf("ParseWorkspaceRole(%s) = %s, %v", r, got, err)
		}
	}
	if _, err := ParseWorkspaceRole("Admin"); !IsCode(err, CodeValidationFailed) {
		t.Errorf("ParseWorkspaceRole(Admin): %v", err)
	}
	if r, err := ParseProjectRole("project_admin"); err != nil || r != ProjectAdmin {
		t.Errorf("ParseProjectRole: %s, %v", r, err)
	}
	if _, err := ParseProjectRole("owner"); err == nil {
		t.Error("ParseProjectRole(owner) succeeded")
	}
	if l, err := ParseScopeLevel("write"); err != nil || l != ScopeWrite {
		t.Errorf("ParseScopeLevel: %s, %v", l, err)
	}
	if _, err := ParseScopeLevel("admin"); err == nil {
		t.Error("ParseScopeLevel(admin) succeeded")
	}
}

func TestScopeLevelIncludes(t *testing.T) {
	if !ScopeWrite.Includes(ScopeRead) || ScopeRead.Includes(ScopeWrite) || !ScopeNone.Includes(ScopeNone) || ScopeLevel("x").Includes(ScopeNone) {
		t.Error("Includes")
	}
}

func TestStatusesHoldingSeatsAndFrozen(t *testing.T) {
	for _, s := range MemberStatuses() {
		holds := s == StatusInvited || s == StatusActive || s == StatusSuspended
		frozen := s == StatusDeactivated || s == StatusDeleted || s == StatusPurged
		if s.HoldsSeat() != holds || s.Frozen() != frozen || !s.Valid() {
			t.Errorf("%s: HoldsSeat %v, Frozen %v", s, s.HoldsSeat(), s.Frozen())
		}
	}
	if MemberStatus("gone").Valid() {
		t.Error("an unknown status is valid")
	}
}

func TestActorString(t *testing.T) {
	if SystemActor().String() != "system" || !SystemActor().IsSystem() || byAdmin.String() != adminID.String() || byAdmin.IsSystem() {
		t.Error("Actor.String / IsSystem")
	}
}
