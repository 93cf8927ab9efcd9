package domain

import (
	"slices"
	"testing"
	"time"
)

func TestClearGrants(t *testing.T) {
	clear := func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
		return m.ClearGrants(ws, by, now)
	}
	cleared := []Event{GrantsCleared{WorkspaceID: wsID, AccountID: targetID}}
	revoked := slices.Concat(staff(), invited(targetID, RoleMember), []Event{InvitationRevoked{AccountID: targetID}})
	rejected := slices.Concat(staff(), requested(targetID), []Event{AccessRejected{AccountID: targetID}})
	grants := slices.Concat(assigned(projectID, ProjectContributor), linked(clientID))
	runAccess(t, []accessCase{
		{name: "after a revoked invitation", roster: revoked, given: grants, by: byAdmin, when: clear, then: cleared},
		{name: "after a rejected request, by the system", roster: rejected, given: grants, by: bySystem, when: clear, then: cleared},
		{name: "nothing to clear", roster: revoked, by: byAdmin, when: clear},
		{name: "of a current member", roster: accessWorld(), given: grants, by: byAdmin, when: clear, err: CodeInvalidTransition},
		{name: "by a manager", roster: revoked, given: grants, by: actorOf(managerID), when: clear, err: CodeForbidden},
	})
}

func TestGrantsClearedFold(t *testing.T) {
	m := replayAccess(targetID, slices.Concat(assigned(projectID, ProjectAdmin), granted(nil), linked(clientID),
		[]Event{
			PermissionsSet{WorkspaceID: wsID, AccountID: targetID, Grant: []string{"a.b"}},
			SecuritySettingsSet{WorkspaceID: wsID, AccountID: targetID, MFAEveryLogin: true},
			GrantsCleared{WorkspaceID: wsID, AccountID: targetID},
		}))
	if !m.empty() || m.WorkspaceID() != wsID || m.AccountID() != targetID {
		t.Fatalf("after clearing: %+v", m)
	}
}
