package domain

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

// The harness: given these events, when this command, then these events or this error.

// t0 is when every story starts; decisions run at now unless a case says otherwise.
var (
	t0  = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	now = t0.Add(time.Hour)
)

// named answers a stable id for a readable name, so failures can be traced to a name.
func named(name string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceOID, []byte(name)) }

var (
	wsID               = named("workspace")
	ownerID            = named("owner")
	adminID            = named("admin")
	admin2ID           = named("second admin")
	managerID          = named("manager")
	memberID           = named("member")
	viewerID           = named("viewer")
	auditorID          = named("auditor")
	projectAdminID     = named("project admin")
	suspendedAdminID   = named("suspended admin")
	deactivatedAdminID = named("deactivated admin")
	platformAdminID    = named("platform admin")
	outsiderID         = named("outsider")
	targetID           = named("target")
	sourceID           = named("source")

	projectID  = named("project")
	project2ID = named("project 2")
	categoryID = named("category")
	visaID     = named("visa")
	clientID   = named("client")

	tokenHash      = HashToken("token")
	otherTokenHash = HashToken("other token")
)

func actorOf(id uuid.UUID) Actor { return Actor{AccountID: id} }

var (
	byOwner         = actorOf(ownerID)
	byAdmin         = actorOf(adminID)
	byPlatformAdmin = Actor{AccountID: platformAdminID, PlatformAdmin: true}
	byProjectAdmin  = Actor{AccountID: projectAdminID, ProjectRoles: map[uuid.UUID]ProjectRole{projectID: ProjectAdmin}}
	bySystem        = SystemActor()
	byTarget        = actorOf(targetID)
)

// everyActor is every kind of actor a policy must decide about.
var everyActor = []struct {
	name  string
	actor Actor
}{
	{"owner", byOwner},
	{"admin", byAdmin},
	{"manager", actorOf(managerID)},
	{"member", actorOf(memberID)},
	{"viewer", actorOf(viewerID)},
	{"auditor", actorOf(auditorID)},
	{"non-member", actorOf(outsiderID)},
	{"suspended admin", actorOf(suspendedAdminID)},
	{"deactivated admin", actorOf(deactivatedAdminID)},
	{"platform admin", byPlatformAdmin},
	{"project admin", byProjectAdmin},
	{"system", bySystem},
	{"the member itself", byTarget},
}

// Event builders, each answering the slice of events that tells one step of a story.

func created(seats int) []Event {
	return []Event{WorkspaceCreated{WorkspaceID: wsID, Name: "Lab", Seats: seats, OwnerAccountID: ownerID}}
}

func invited(account uuid.UUID, role WorkspaceRole) []Event {
	return []Event{MemberInvited{AccountID: account, Role: role, TokenHash: tokenHash, ExpiresAt: t0.Add(DefaultInvitationTTL)}}
}

func joined(account uuid.UUID, role WorkspaceRole) []Event {
	return append(invited(account, role), InvitationAccepted{AccountID: account})
}

func requested(account uuid.UUID) []Event { return []Event{AccessRequested{AccountID: account}} }

func suspended(account uuid.UUID) []Event {
	return []Event{MemberSuspended{AccountID: account, Reason: "audit"}}
}

func deactivated(account uuid.UUID) []Event { return []Event{LicenseDeactivated{AccountID: account}} }

func deletedAt(account uuid.UUID, previous MemberStatus, at time.Time) []Event {
	return []Event{MemberDeleted{AccountID: account, PreviousStatus: previous, DeletedAt: at}}
}

// inStatus answers the events that put account, with role member, in status s.
func inStatus(account uuid.UUID, s MemberStatus) []Event {
	switch s {
	case StatusInvited:
		return invited(account, RoleMember)
	case StatusPending:
		return requested(account)
	case StatusActive:
		return joined(account, RoleMember)
	case StatusSuspended:
		return slices.Concat(joined(account, RoleMember), suspended(account))
	case StatusDeactivated:
		return slices.Concat(joined(account, RoleMember), deactivated(account))
	case StatusDeleted:
		return slices.Concat(joined(account, RoleMember), deletedAt(account, StatusActive, t0))
	case StatusPurged:
		return slices.Concat(inStatus(account, StatusDeleted), []Event{MemberPurged{AccountID: account}})
	}
	panic("no story for status " + s)
}

// staff is a workspace of 50 seats with one member of every role, an inactive admin of
// each kind, a member who is project admin of projectID, and the catalog grants refer to.
func staff() []Event {
	return slices.Concat(
		created(50),
		joined(adminID, RoleAdmin), joined(admin2ID, RoleAdmin), joined(managerID, RoleManager),
		joined(memberID, RoleMember), joined(viewerID, RoleViewer), joined(auditorID, RoleAuditor),
		joined(projectAdminID, RoleMember),
		joined(suspendedAdminID, RoleAdmin), suspended(suspendedAdminID),
		joined(deactivatedAdminID, RoleAdmin), deactivated(deactivatedAdminID),
		catalogEvents(),
	)
}

func catalogEvents() []Event {
	return []Event{
		ProjectCreated{ProjectID: projectID, Name: "Atlas"},
		ProjectCreated{ProjectID: project2ID, Name: "Borealis"},
		BookingCategoryDefined{CategoryID: categoryID, Name: "Microscopes"},
		VisaDefined{VisaID: visaID, Name: "Autonomous"},
		ClientRegistered{ClientID: clientID, Name: "Acme"},
		ModuleSet{Module: ModuleBooking, Enabled: true, MinRole: RoleMember},
	}
}

func replayWorkspace(events []Event) *Workspace {
	w := new(Workspace)
	for _, e := range events {
		w.Apply(e)
	}
	return w
}

func replayAccess(account uuid.UUID, events []Event) *MemberAccess {
	m := NewMemberAccess(wsID, account)
	for _, e := range events {
		m.Apply(e)
	}
	return m
}

// rosterCase is one story about the workspace stream.
type rosterCase struct {
	name  string
	given []Event
	by    Actor
	at    time.Time // zero: now
	when  func(w *Workspace, by Actor, now time.Time) ([]Event, error)
	then  []Event // exact events; nil for "no events"
	err   string  // expected error code; "" for success
}

func runRoster(t *testing.T, cases []rosterCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := replayWorkspace(c.given)
			got, err := c.when(w, c.by, orNow(c.at))
			expect(t, got, err, c.then, c.err)
			for _, e := range got {
				w.Apply(e)
			}
			checkRosterInvariants(t, w)
		})
	}
}

// accessCase is one story about a member stream, decided against a workspace stream.
type accessCase struct {
	name   string
	roster []Event // the workspace stream
	given  []Event // the member stream of targetID
	by     Actor
	at     time.Time // zero: now
	when   func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error)
	then   []Event
	err    string
}

func runAccess(t *testing.T, cases []accessCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := replayAccess(targetID, c.given)
			got, err := c.when(m, replayWorkspace(c.roster), c.by, orNow(c.at))
			expect(t, got, err, c.then, c.err)
			for _, e := range got {
				m.Apply(e)
			}
		})
	}
}

func orNow(at time.Time) time.Time {
	if at.IsZero() {
		return now
	}
	return at
}

// expect checks a decision's answer: the error code, or exactly the events; and that
// every event survives the trip through the store's JSON.
func expect(t *testing.T, got []Event, err error, then []Event, code string) {
	t.Helper()
	if code != "" {
		if !IsCode(err, code) || got != nil {
			t.Fatalf("want error %s and no events, got %v and %s", code, err, show(got))
		}
		return
	}
	if err != nil {
		t.Fatalf("want success, got %v", err)
	}
	if len(then) == 0 && len(got) == 0 {
		return
	}
	if !reflect.DeepEqual(got, then) {
		t.Fatalf("events differ\n got: %s\nwant: %s", show(got), show(then))
	}
	for _, e := range got {
		checkRoundTrip(t, e)
	}
}

func checkRoundTrip(t *testing.T, e Event) {
	t.Helper()
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatalf("marshal %s: %v", e.EventType(), err)
	}
	back, err := DecodeEvent(e.EventType(), data)
	if err != nil || !reflect.DeepEqual(back, e) {
		t.Fatalf("%s does not survive JSON: %v\n sent: %#v\n back: %#v", e.EventType(), err, e, back)
	}
}

func show(events []Event) string {
	out := "["
	for _, e := range events {
		data, _ := json.Marshal(e)
		out += fmt.Sprintf(" %s%s", e.EventType(), data)
	}
	return out + " ]"
}

// checkRosterInvariants asserts what the Workspace aggregate protects, after every decision.
func checkRosterInvariants(t *testing.T, w *Workspace) {
	t.Helper()
	if !w.Exists() {
		return
	}
	if w.SeatsUsed() > w.Seats() {
		t.Fatalf("%d seats used of %d", w.SeatsUsed(), w.Seats())
	}
	var owners []uuid.UUID
	for _, id := range w.MemberIDs() {
		if e, _ := w.Member(id); e.Role == RoleOwner {
			owners = append(owners, id)
		}
	}
	if len(owners) != 1 || owners[0] != w.Owner() || !w.IsActiveMember(w.Owner()) {
		t.Fatalf("owners on the roster: %v; Owner() = %s", owners, w.Owner())
	}
}

// fieldsOf answers the field names of a validation error, for cases that must list every
// bad field.
func fieldsOf(err error) []string {
	e, ok := err.(*Error)
	if !ok || e.Kind != KindValidation {
		return nil
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Field)
	}
	return names
}
