package projections

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// TestBookersAt asks who could book a category at moments of a history that changes the
// roster, the visas and the workspace's configuration, after the whole history is applied:
// every answer must be the one that held at its moment.
func TestBookersAt(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		w := newAuthzWorld(newGiven(t, History{}))
		cat, visa, other := w.category("Microscopes"), w.visa("Basic"), w.visa("Other")
		bob, carol, dave, erin, fiona := w.join(domain.RoleMember), w.join(domain.RoleViewer), w.join(domain.RoleMember),
			w.join(domain.RoleMember), w.join(domain.RoleMember)
		marks := map[string]time.Time{"before the module": w.now()}
		w.module(domain.ModuleBooking, true, domain.RoleMember)
		w.grantVisa(bob, cat, visa, nil)
		w.grantVisa(carol, cat, visa, nil)
		daveUntil := w.now().Add(20 * time.Minute)
		w.grantVisa(dave, cat, visa, &daveUntil)
		w.grantVisa(erin, cat, visa, nil)
		w.grantVisa(fiona, cat, other, nil)
		marks["granted"] = w.now()
		w.wsEvent(domain.MemberSuspended{AccountID: erin, Reason: "review"})
		marks["erin suspended"] = w.now()
		w.wsEvent(domain.MemberReinstated{AccountID: erin})
		w.wsEvent(domain.VisaRetired{VisaID: other})
		marks["other visa retired"] = w.now()
		marks["just before dave's end"] = daveUntil.Add(-time.Microsecond)
		marks["at dave's end"] = daveUntil
		w.step = 30 * time.Minute
		w.g.actor = "system"
		expiry := w.access(dave, domain.VisaExpired{WorkspaceID: w.ws, AccountID: dave, CategoryID: cat})
		w.g.by(w.owner)
		w.step = time.Minute
		marks["after the expiry"] = w.now()
		w.wsEvent(domain.RoleChanged{AccountID: carol, From: domain.RoleViewer, To: domain.RoleMember})
		marks["carol promoted"] = w.now()
		w.module(domain.ModuleBooking, true, domain.RoleManager)
		marks["managers only"] = w.now()
		w.module(domain.ModuleBooking, true, domain.RoleMember)
		w.access(bob, domain.VisaRevoked{WorkspaceID: w.ws, AccountID: bob, CategoryID: cat})
		marks["bob revoked"] = w.now()
		w.wsEvent(domain.BookingCategoryRetired{CategoryID: cat})
		marks["category retired"] = w.now()
		w.apply(size)

		for name, want := range map[string][]uuid.UUID{
			"before the module":      nil,
			"granted":                {bob, dave, erin, fiona},
			"erin suspended":         {bob, dave, fiona},
			"other visa retired":     {bob, dave, erin},
			"just before dave's end": {bob, dave, erin},
			"at dave's end":          {bob, erin},
			"after the expiry":       {bob, erin},
			"carol promoted":         {bob, carol, erin},
			"managers only":          nil,
			"bob revoked":            {carol, erin},
			"category retired":       nil,
		} {
			got, err := BookersAt(context.Background(), w.g.pool, w.ws, cat, marks[name])
			if err != nil {
				t.Fatal(err)
			}
			var ids []uuid.UUID
			for _, b := range got {
				ids = append(ids, b.AccountID)
				if b.Role == "" || (b.VisaID != visa && b.VisaID != other) {
					t.Errorf("size %d, %s: booker %+v", size, name, b)
				}
			}
			slices.SortFunc(want, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
			if !slices.Equal(ids, want) {
				t.Errorf("size %d, %s: bookers %v, want %v", size, name, ids, want)
			}
		}
		checkVisaInterval(t, w, dave, daveUntil, expiry)
	}
}

// checkVisaInterval checks that a visa's interval ends at its valid_until, not at the
// later expiry event, which is nonetheless recorded as what ended it.
func checkVisaInterval(t *testing.T, w *authzWorld, account uuid.UUID, until time.Time, expiry *Envelope) {
	t.Helper()
	var validTo, endsAt time.Time
	var endedEvent uuid.UUID
	var endedBy string
	err := w.g.pool.QueryRow(context.Background(), "SELECT valid_to, ends_at, ended_event, ended_by FROM "+
		Qualified(ReadSchema, historyFactsTable)+" WHERE workspace_id = $1 AND account_id = $2 AND kind = 'visa'",
		w.ws, account).Scan(&validTo, &endsAt, &endedEvent, &endedBy)
	if err != nil {
		t.Fatal(err)
	}
	if !validTo.Equal(until) || !endsAt.Equal(until) || endedEvent != expiry.ID || endedBy != "system" {
		t.Errorf("visa interval ends %s (ends_at %s) by %s %s, want %s by the expiry event %s", validTo, endsAt, endedBy, endedEvent, until, expiry.ID)
	}
}
