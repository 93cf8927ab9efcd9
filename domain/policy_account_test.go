package domain

import (
	"slices"
	"testing"
)

// TestAuthorizeAccountChange: an admin changes an account's details only through a
// membership that may be edited; every membership frozen answers member_frozen, while
// the holder and platform admins are not bound by a workspace's freeze.
func TestAuthorizeAccountChange(t *testing.T) {
	in := func(s MemberStatus) *Workspace { return replayWorkspace(withTarget(s)) }
	cases := []struct {
		name   string
		by     Actor
		shared []*Workspace
		code   string // "" allowed
	}{
		{"an admin, the member active", byAdmin, []*Workspace{in(StatusActive)}, ""},
		{"an admin, the member suspended", byAdmin, []*Workspace{in(StatusSuspended)}, ""},
		{"an admin, the member invited", byAdmin, []*Workspace{in(StatusInvited)}, ""},
		{"an admin, the member deactivated", byAdmin, []*Workspace{in(StatusDeactivated)}, CodeMemberFrozen},
		{"the owner, the member deleted", byOwner, []*Workspace{in(StatusDeleted)}, CodeMemberFrozen},
		{"an admin, the member purged", byAdmin, []*Workspace{in(StatusPurged)}, CodeForbidden},
		{"frozen here, active there", byAdmin, []*Workspace{in(StatusDeactivated), in(StatusActive)}, ""},
		{"frozen in both", byAdmin, []*Workspace{in(StatusDeleted), in(StatusDeactivated)}, CodeMemberFrozen},
		{"a manager", actorOf(managerID), []*Workspace{in(StatusActive)}, CodeForbidden},
		{"a manager, the member frozen: learns nothing of it", actorOf(managerID), []*Workspace{in(StatusDeactivated)}, CodeForbidden},
		{"a suspended admin", actorOf(suspendedAdminID), []*Workspace{in(StatusActive)}, CodeForbidden},
		{"the holder, frozen everywhere", byTarget, []*Workspace{in(StatusDeactivated)}, ""},
		{"a platform admin, frozen everywhere", byPlatformAdmin, []*Workspace{in(StatusDeleted)}, ""},
		{"the system", bySystem, []*Workspace{in(StatusActive)}, CodeForbidden},
		{"no shared workspace", byAdmin, nil, CodeForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := AuthorizeAccountChange(c.by, targetID, c.shared)
			switch {
			case c.code == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.code != "" && !IsCode(err, c.code):
				t.Fatalf("got %v, want %s", err, c.code)
			}
		})
	}
}

// TestAnAdminDoesNotChangeTheOwnersAccount: the owner's membership is out of an admin's
// reach, frozen or not.
func TestAnAdminDoesNotChangeTheOwnersAccount(t *testing.T) {
	w := replayWorkspace(slices.Clone(staff()))
	if err := AuthorizeAccountChange(byAdmin, ownerID, []*Workspace{w}); !IsCode(err, CodeForbidden) {
		t.Fatalf("got %v, want forbidden", err)
	}
}
