package domain

import (
	"slices"
	"testing"
)

// TestSeatsUsedFollowsEveryRosterChange: the seat count the workspace keeps as its roster
// changes equals a count of the roster after every event of a story that takes members
// through every roster event, including events for accounts that are not on it.
func TestSeatsUsedFollowsEveryRosterChange(t *testing.T) {
	a, b, c, d := named("a"), named("b"), named("c"), named("d")
	story := slices.Concat(
		created(10),
		invited(a, RoleMember), []Event{InvitationResent{AccountID: a, TokenHash: otherTokenHash}, InvitationExpired{AccountID: a}},
		invited(a, RoleMember), []Event{InvitationRevoked{AccountID: a}},
		invited(a, RoleMember), []Event{InvitationAccepted{AccountID: a}, RoleChanged{AccountID: a, To: RoleAdmin}},
		requested(b), []Event{AccessRejected{AccountID: b}},
		requested(b), []Event{AccessApproved{AccountID: b, Role: RoleViewer}},
		suspended(b), []Event{MemberReinstated{AccountID: b}},
		deactivated(b), []Event{LicenseReactivated{AccountID: b}, WelcomeEmailSent{AccountID: b}},
		deletedAt(b, StatusActive, t0), []Event{MemberRestored{AccountID: b, Status: StatusActive}},
		inStatus(c, StatusDeactivated), deletedAt(c, StatusDeactivated, t0), []Event{MemberRestored{AccountID: c, Status: StatusDeactivated}},
		inStatus(d, StatusPurged),
		// Events about accounts that are not on the roster change nothing.
		[]Event{InvitationAccepted{AccountID: named("nobody")}, LicenseDeactivated{AccountID: named("nobody")}},
	)
	w := new(Workspace)
	for i, e := range story {
		w.Apply(e)
		if got, want := w.SeatsUsed(), countSeats(w); got != want {
			t.Fatalf("after event %d (%s): %d seats used, a count of the roster says %d", i, e.EventType(), got, want)
		}
	}
	if got := w.SeatsUsed(); got != 3 { // the owner, a and b
		t.Fatalf("at the end: %d seats used, want 3", got)
	}
}

// countSeats counts the roster entries that hold a seat.
func countSeats(w *Workspace) int {
	n := 0
	for _, id := range w.MemberIDs() {
		if e, _ := w.Member(id); e.Status.HoldsSeat() {
			n++
		}
	}
	return n
}
