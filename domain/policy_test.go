package domain

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

// Who may do what (docs/domain.md), generated: every command against every kind of actor.

var (
	admins    = []string{"owner", "admin", "platform admin"}
	ownerOnly = []string{"owner", "platform admin"}
)

type rosterPolicy struct {
	command string
	given   []Event
	at      time.Time
	allowed []string
	decide  func(w *Workspace, by Actor, now time.Time) ([]Event, error)
}

func withTarget(s MemberStatus) []Event { return slices.Concat(staff(), inStatus(targetID, s)) }

// onTarget adapts a lifecycle row of designLifecycle to a policy row.
func onTarget(command string, s MemberStatus, allowed []string) rosterPolicy {
	for _, row := range designLifecycle {
		if row.command == command {
			return rosterPolicy{command: command, given: withTarget(s), at: row.at, allowed: allowed,
				decide: func(w *Workspace, by Actor, now time.Time) ([]Event, error) { return row.decide(w, by, targetID, now) }}
		}
	}
	panic("no lifecycle row " + command)
}

var rosterPolicies = []rosterPolicy{
	{command: "CreateWorkspace", allowed: []string{"platform admin", "system"},
		decide: func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.CreateWorkspace(by, CreateWorkspace{WorkspaceID: wsID, Name: "Lab", Seats: 3, OwnerAccountID: ownerID}, now)
		}},
	{command: "RenameWorkspace", given: staff(), allowed: admins,
		decide: func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.RenameWorkspace(by, RenameWorkspace{Name: "Lab 2"}, now)
		}},
	{command: "ChangePlan", given: staff(), allowed: ownerOnly,
		decide: func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.ChangePlan(by, ChangePlan{Seats: 60}, now)
		}},
	{command: "TransferOwnership", given: staff(), allowed: ownerOnly,
		decide: func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.TransferOwnership(by, TransferOwnership{To: admin2ID}, now)
		}},
	{command: "SetModule", given: staff(), allowed: admins,
		decide: func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.SetModule(by, SetModule{Module: "wiki", Enabled: true, MinRole: RoleViewer}, now)
		}},
	{command: "InviteUser", given: staff(), allowed: admins, decide: invite(targetID, RoleMember)},
	onTarget("AcceptInvitation", StatusInvited, []string{"the member itself"}),
	onTarget("ResendInvitation", StatusInvited, admins),
	onTarget("RevokeInvitation", StatusInvited, admins),
	{command: "RequestAccess", given: staff(), allowed: []string{"the member itself"},
		decide: func(w *Workspace, by Actor, now time.Time) ([]Event, error) {
			return w.RequestAccess(by, RequestAccess{AccountID: targetID}, now)
		}},
	onTarget("ApproveAccess", StatusPending, admins),
	onTarget("RejectAccess", StatusPending, admins),
	onTarget("ChangeRole", StatusActive, admins),
	onTarget("DeactivateLicense", StatusActive, admins),
	onTarget("ReactivateLicense", StatusDeactivated, admins),
	onTarget("SuspendMember", StatusActive, admins),
	onTarget("ReinstateMember", StatusSuspended, admins),
	onTarget("DeleteMember", StatusActive, admins),
	onTarget("RestoreMember", StatusDeleted, admins),
	onTarget("PurgeMember", StatusDeleted, []string{"system"}),
	onTarget("SendWelcomeEmail", StatusActive, admins),
}

func TestRosterPolicy(t *testing.T) {
	policies := slices.Clone(rosterPolicies)
	for _, k := range catalogKinds {
		item := named("new " + k.name)
		policies = append(policies,
			rosterPolicy{command: "define " + k.name, given: staff(), allowed: admins,
				decide: func(w *Workspace, by Actor, now time.Time) ([]Event, error) { return k.define(w, by, item, "New", now) }},
			rosterPolicy{command: "retire " + k.name, given: slices.Concat(staff(), []Event{k.defined(item, "New")}), allowed: admins,
				decide: func(w *Workspace, by Actor, now time.Time) ([]Event, error) { return k.retire(w, by, item, now) }},
		)
	}
	for _, p := range policies {
		t.Run(p.command, func(t *testing.T) {
			for _, a := range everyActor {
				got, err := p.decide(replayWorkspace(p.given), a.actor, orNow(p.at))
				checkPolicy(t, a.name, slices.Contains(p.allowed, a.name), got, err)
			}
		})
	}
}

func checkPolicy(t *testing.T, actor string, allowed bool, got []Event, err error) {
	t.Helper()
	switch {
	case allowed && (err != nil || len(got) == 0):
		t.Errorf("%s must be allowed: got %s, %v", actor, show(got), err)
	case !allowed && (!IsCode(err, CodeForbidden) || KindOf(err) != KindForbidden):
		t.Errorf("%s must be forbidden: got %s, %v", actor, show(got), err)
	}
}

type accessPolicy struct {
	command string
	given   []Event // the target's member stream
	at      time.Time
	allowed []string
	decide  func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error)
}

var accessPolicies = []accessPolicy{
	{command: "AssignProjectRole", allowed: slices.Concat(admins, []string{"project admin"}),
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.AssignProjectRole(ws, by, AssignProjectRole{ProjectID: projectID, Role: ProjectContributor}, now)
		}},
	{command: "RemoveFromProject", given: assigned(projectID, ProjectViewer), allowed: slices.Concat(admins, []string{"project admin"}),
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.RemoveFromProject(ws, by, RemoveFromProject{ProjectID: projectID}, now)
		}},
	{command: "GrantVisa", allowed: admins,
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.GrantVisa(ws, by, GrantVisa{CategoryID: categoryID, VisaID: visaID}, now)
		}},
	{command: "RevokeVisa", given: granted(nil), allowed: admins,
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.RevokeVisa(ws, by, RevokeVisa{CategoryID: categoryID}, now)
		}},
	{command: "LinkClient", allowed: admins,
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.LinkClient(ws, by, LinkClient{ClientID: clientID}, now)
		}},
	{command: "UnlinkClient", given: linked(clientID), allowed: admins,
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.UnlinkClient(ws, by, UnlinkClient{ClientID: clientID}, now)
		}},
	{command: "SetPermissionOverrides", allowed: admins,
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.SetPermissionOverrides(ws, by, SetPermissionOverrides{Grant: []string{"billing.view"}}, now)
		}},
	{command: "SetScopeAccess", allowed: admins,
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.SetScopeAccess(ws, by, SetScopeAccess{Scope: "company:acme", Level: ScopeRead}, now)
		}},
	{command: "SetSecuritySettings", allowed: admins,
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.SetSecuritySettings(ws, by, SetSecuritySettings{MFAEveryLogin: true}, now)
		}},
	{command: "SetContractInfo", allowed: admins,
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.SetContractInfo(ws, by, SetContractInfo{Reference: "C-1"}, now)
		}},
	{command: "CopyPermissions", allowed: admins, decide: copyFromSource},
	{command: "ExpireVisas", given: granted(new(t0.Add(day))), at: t0.Add(2 * day), allowed: []string{"system"},
		decide: func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.ExpireVisas(by, now)
		}},
}

// accessWorld is staff with the target an active member and a source member to copy from.
func accessWorld() []Event {
	return slices.Concat(staff(), joined(targetID, RoleMember), joined(sourceID, RoleManager))
}

func copyFromSource(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
	source := replayAccess(sourceID, assigned(projectID, ProjectContributor))
	roster, access, err := CopyPermissions(ws, source, m, by, now)
	return slices.Concat(roster, access), err
}

func assigned(project uuid.UUID, role ProjectRole) []Event {
	return []Event{ProjectRoleAssigned{WorkspaceID: wsID, AccountID: targetID, ProjectID: project, Role: role}}
}

func granted(until *time.Time) []Event {
	return []Event{VisaGranted{WorkspaceID: wsID, AccountID: targetID, CategoryID: categoryID, VisaID: visaID, ValidUntil: until}}
}

func linked(client uuid.UUID) []Event {
	return []Event{ClientLinked{WorkspaceID: wsID, AccountID: targetID, ClientID: client}}
}

func TestAccessPolicy(t *testing.T) {
	for _, p := range accessPolicies {
		t.Run(p.command, func(t *testing.T) {
			for _, a := range everyActor {
				got, err := p.decide(replayAccess(targetID, p.given), replayWorkspace(accessWorld()), a.actor, orNow(p.at))
				checkPolicy(t, a.name, slices.Contains(p.allowed, a.name), got, err)
			}
		})
	}
}

// Deactivated, deleted and purged members' grants are frozen; people off the roster have none.
func TestFrozenAndUnknownMembersGetNoGrants(t *testing.T) {
	for _, p := range accessPolicies {
		if p.command == "ExpireVisas" {
			continue // expiry is a fact of time, tested in TestExpireVisas
		}
		for _, status := range []MemberStatus{StatusDeactivated, StatusDeleted, StatusPurged} {
			roster := slices.Concat(staff(), inStatus(targetID, status), joined(sourceID, RoleManager))
			got, err := p.decide(replayAccess(targetID, p.given), replayWorkspace(roster), byAdmin, orNow(p.at))
			if !IsCode(err, CodeMemberFrozen) || KindOf(err) != KindConflict {
				t.Errorf("%s on a %s member: %s, %v", p.command, status, show(got), err)
			}
		}
		roster := slices.Concat(staff(), joined(sourceID, RoleManager))
		if got, err := p.decide(replayAccess(targetID, p.given), replayWorkspace(roster), byAdmin, orNow(p.at)); !IsCode(err, CodeNotFound) {
			t.Errorf("%s on a non-member: %s, %v", p.command, show(got), err)
		}
	}
}

// A member stream is decided against its own workspace only: anything else is a bug in
// the caller, reported as such rather than as a user error.
func TestAccessDecidedAgainstAnotherWorkspaceIsABug(t *testing.T) {
	other := replayWorkspace([]Event{WorkspaceCreated{WorkspaceID: named("other"), Name: "Other", Seats: 5, OwnerAccountID: ownerID}})
	_, err := replayAccess(targetID, nil).LinkClient(other, byOwner, LinkClient{ClientID: clientID}, now)
	if err == nil || KindOf(err) != KindUnknown {
		t.Fatalf("got %v", err)
	}
}

func TestMayReadHistory(t *testing.T) {
	w := replayWorkspace(staff())
	readers := []string{"owner", "admin", "auditor", "platform admin"}
	for _, a := range everyActor {
		if got := w.MayReadHistory(a.actor); got != slices.Contains(readers, a.name) {
			t.Errorf("MayReadHistory(%s) = %v", a.name, got)
		}
	}
}

// The rule behind every role a command hands out; with today's roles only the owner role
// lies above an admin's, and commands refuse it earlier as invalid input.
func TestNobodyGivesARoleAboveTheirOwn(t *testing.T) {
	for _, c := range []struct {
		actor, role WorkspaceRole
		allowed     bool
	}{
		{RoleAdmin, RoleAdmin, true},
		{RoleAdmin, RoleOwner, false},
		{RoleManager, RoleAdmin, false},
		{RoleOwner, RoleOwner, true},
	} {
		if err := mayAssign(c.actor, c.role); (err == nil) != c.allowed {
			t.Errorf("%s giving %s: %v", c.actor, c.role, err)
		}
	}
}
