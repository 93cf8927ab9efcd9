package licenses

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/projectiontest"
)

func TestGetLicensesCountsEveryStatus(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Licenses{}), 10)
	statuses := map[domain.MemberStatus]int{}
	for _, s := range countedStatuses {
		statuses[s] = 0 // every counted status is present, zero or not
	}
	count := func(s domain.MemberStatus) { statuses[s]++ }
	count(domain.StatusActive) // the owner
	w.Invite("Ivy", "Invited", domain.RoleMember)
	count(domain.StatusInvited)
	w.Join("Al", "Active", domain.RoleMember)
	count(domain.StatusActive)
	s := w.Join("Sue", "Suspended", domain.RoleMember)
	w.Roster(domain.MemberSuspended{AccountID: s, Reason: "review"})
	count(domain.StatusSuspended)
	d := w.Join("Dee", "Deactivated", domain.RoleMember)
	w.Roster(domain.LicenseDeactivated{AccountID: d})
	count(domain.StatusDeactivated)
	x := w.Join("Xa", "Deleted", domain.RoleMember)
	w.Roster(domain.MemberDeleted{AccountID: x, PreviousStatus: domain.StatusActive, DeletedAt: w.G.Now})
	count(domain.StatusDeleted)
	p := w.Register("Pia", "Pending", "pia@example.com", "")
	w.Self(p, domain.AccessRequested{AccountID: p})
	count(domain.StatusPending)
	r := w.Invite("Rex", "Revoked", domain.RoleMember)
	w.Roster(domain.InvitationRevoked{AccountID: r})
	q := w.Register("Quin", "Rejected", "quin@example.com", "")
	w.Self(q, domain.AccessRequested{AccountID: q})
	w.Roster(domain.AccessRejected{AccountID: q})
	u := w.Join("Pat", "Purged", domain.RoleMember)
	w.Roster(domain.MemberDeleted{AccountID: u, PreviousStatus: domain.StatusActive, DeletedAt: w.G.Now})
	w.Later(31 * 24 * time.Hour)
	w.G.Actor = "system"
	w.Add(w.G.Event(domain.WorkspaceStream(w.WS), domain.MemberPurged{AccountID: u}))
	last := w.Roster(domain.PlanChanged{Seats: 12})
	for _, size := range []int{0, 1} {
		g := w.ReplayInto(t, size)
		got, ok, err := GetLicenses(context.Background(), g.Pool, w.WS)
		want := LicenseSummary{WorkspaceID: w.WS, Seats: 12, Used: 4, Available: 8, ByStatus: statuses, UpdatedAt: last.Metadata.OccurredAt}
		if err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("size %d: %+v, %v, %v; want %+v", size, got, ok, err, want)
		}
	}
	if _, ok, err := GetLicenses(context.Background(), w.G.Pool, uuid.New()); ok || err != nil {
		t.Errorf("unknown workspace: %v, %v", ok, err)
	}
}

func TestSeatUsagePeaksAndCarriesForward(t *testing.T) {
	t.Parallel()
	g := projectiontest.NewGiven(t, Licenses{})
	day := func(n int, h int) time.Time { return time.Date(2026, 3, n, h, 0, 0, 0, time.UTC) }
	g.At(day(1, 8))
	w := projectiontest.NewLedgerWorld(g, 3) // day 1: seats 3, the owner uses 1
	a := w.Invite("Ann", "A", domain.RoleMember)
	b := w.Invite("Ben", "B", domain.RoleMember)
	w.Roster(domain.InvitationRevoked{AccountID: b}) // peak 3, ends at 2
	g.At(day(3, 9))                                  // day 2: no events
	w.Roster(domain.PlanChanged{Seats: 5})
	c := w.Register("Cid", "C", "cid@example.com", "")
	w.Self(c, domain.AccessRequested{AccountID: c}) // pending: no seat
	w.Roster(domain.AccessApproved{AccountID: c, Role: domain.RoleViewer})
	w.Self(a, domain.InvitationAccepted{AccountID: a})
	w.Roster(domain.LicenseDeactivated{AccountID: a}) // peak 3, ends at 2 with 5 seats
	g.At(day(5, 10))                                  // day 4: no events
	w.Roster(domain.MemberSuspended{AccountID: c, Reason: "audit"})
	w.Roster(domain.MemberDeleted{AccountID: c, PreviousStatus: domain.StatusSuspended, DeletedAt: g.Now}) // day 5: 2 held since midnight, ends at 1
	g.At(day(5, 23).Add(59 * time.Minute))
	w.Roster(domain.LicenseReactivated{AccountID: a}) // a last-minute change: ends at 2 again
	want := []DailyUsage{{day(1, 0), 3, 3}, {day(2, 0), 2, 3}, {day(3, 0), 3, 5}, {day(4, 0), 2, 5}, {day(5, 0), 2, 5}, {day(6, 0), 2, 5}, {day(7, 0), 2, 5}}
	for _, size := range []int{0, 1, 2} {
		other := w.ReplayInto(t, size)
		got, err := SeatUsage(context.Background(), other.Pool, w.WS, day(1, 0).Add(-72*time.Hour), day(7, 23))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("size %d: %+v, %v\nwant %+v", size, got, err, want)
		}
		one, err := SeatUsage(context.Background(), other.Pool, w.WS, day(4, 13), day(4, 14))
		if err != nil || !reflect.DeepEqual(one, want[3:4]) {
			t.Errorf("size %d: one day %+v, %v", size, one, err)
		}
	}
}

func TestSeatUsageInvalidRanges(t *testing.T) {
	t.Parallel()
	w := projectiontest.NewLedgerWorld(projectiontest.NewGiven(t, Licenses{}), 3)
	w.Apply(0)
	ctx := context.Background()
	now := w.G.Now
	for name, r := range map[string][2]time.Time{
		"to before from": {now, now.Add(-24 * time.Hour)},
		"ten years":      {now, now.Add(SeatUsageMaxDays * 24 * time.Hour)},
	} {
		if _, err := SeatUsage(ctx, w.G.Pool, w.WS, r[0], r[1]); !errors.Is(err, projections.ErrInvalidQuery) {
			t.Errorf("%s: err = %v, want ErrInvalidQuery", name, err)
		}
	}
	if got, err := SeatUsage(ctx, w.G.Pool, uuid.New(), now, now); err != nil || got == nil || len(got) != 0 {
		t.Errorf("unknown workspace: %+v, %v", got, err)
	}
	if got, err := SeatUsage(ctx, w.G.Pool, w.WS, now.Add(-time.Hour), now); err != nil || len(got) != 1 || got[0].SeatsUsed != 1 || got[0].Seats != 3 {
		t.Errorf("creation day: %+v, %v", got, err)
	}
}
