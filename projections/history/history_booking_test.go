package history

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/projectiontest"
)

// TestBookersAt asks who could book a category at moments of a history that changes the
// roster, the visas and the workspace's configuration, after the whole history is applied:
// every answer must be the one that held at its moment.
func TestBookersAt(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		w := projectiontest.NewWorld(projectiontest.NewGiven(t, History{}))
		cat, visa, other := w.Category("Microscopes"), w.Visa("Basic"), w.Visa("Other")
		bob, carol, dave, erin, fiona := w.Join(domain.RoleMember), w.Join(domain.RoleViewer), w.Join(domain.RoleMember),
			w.Join(domain.RoleMember), w.Join(domain.RoleMember)
		marks := map[string]time.Time{"before the module": w.Now()}
		w.Module(domain.ModuleBooking, true, domain.RoleMember)
		w.GrantVisa(bob, cat, visa, nil)
		w.GrantVisa(carol, cat, visa, nil)
		daveUntil := w.Now().Add(20 * time.Minute)
		w.GrantVisa(dave, cat, visa, &daveUntil)
		w.GrantVisa(erin, cat, visa, nil)
		w.GrantVisa(fiona, cat, other, nil)
		marks["granted"] = w.Now()
		w.WsEvent(domain.MemberSuspended{AccountID: erin, Reason: "review"})
		marks["erin suspended"] = w.Now()
		w.WsEvent(domain.MemberReinstated{AccountID: erin})
		w.WsEvent(domain.VisaRetired{VisaID: other})
		marks["other visa retired"] = w.Now()
		marks["just before dave's end"] = daveUntil.Add(-time.Microsecond)
		marks["at dave's end"] = daveUntil
		w.Step = 30 * time.Minute
		w.G.Actor = "system"
		expiry := w.Access(dave, domain.VisaExpired{WorkspaceID: w.WS, AccountID: dave, CategoryID: cat})
		w.G.By(w.Owner)
		w.Step = time.Minute
		marks["after the expiry"] = w.Now()
		w.WsEvent(domain.RoleChanged{AccountID: carol, From: domain.RoleViewer, To: domain.RoleMember})
		marks["carol promoted"] = w.Now()
		w.Module(domain.ModuleBooking, true, domain.RoleManager)
		marks["managers only"] = w.Now()
		w.Module(domain.ModuleBooking, true, domain.RoleMember)
		w.Access(bob, domain.VisaRevoked{WorkspaceID: w.WS, AccountID: bob, CategoryID: cat})
		marks["bob revoked"] = w.Now()
		w.WsEvent(domain.BookingCategoryRetired{CategoryID: cat})
		marks["category retired"] = w.Now()
		w.Apply(size)

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
			got, err := BookersAt(context.Background(), w.G.Pool, w.WS, cat, marks[name])
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
func checkVisaInterval(t *testing.T, w *projectiontest.World, account uuid.UUID, until time.Time, expiry *projections.Envelope) {
	t.Helper()
	var validTo, endsAt time.Time
	var endedEvent uuid.UUID
	var endedBy string
	err := w.G.Pool.QueryRow(context.Background(), "SELECT valid_to, ends_at, ended_event, ended_by FROM "+
		projections.Qualified(projections.ReadSchema, factsTable)+" WHERE workspace_id = $1 AND account_id = $2 AND kind = 'visa'",
		w.WS, account).Scan(&validTo, &endsAt, &endedEvent, &endedBy)
	if err != nil {
		t.Fatal(err)
	}
	if !validTo.Equal(until) || !endsAt.Equal(until) || endedEvent != expiry.ID || endedBy != "system" {
		t.Errorf("visa interval ends %s (ends_at %s) by %s %s, want %s by the expiry event %s", validTo, endsAt, endedBy, endedEvent, until, expiry.ID)
	}
}
