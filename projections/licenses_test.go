package projections

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

func TestLicensesSameTablesWhateverTheBatchSize(t *testing.T) {
	t.Parallel()
	w := newLedgerWorld(newGiven(t, Licenses{}), 6)
	ledgerStory(w)
	w.apply(1)
	ctx := context.Background()
	from, to := w.events[0].Metadata.OccurredAt.Add(-48*time.Hour), w.g.now.Add(48*time.Hour)
	want, _, err := GetLicenses(ctx, w.g.pool, w.ws)
	if err != nil {
		t.Fatal(err)
	}
	wantUsage, err := SeatUsage(ctx, w.g.pool, w.ws, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{0, 3, -3} {
		other := w.replayInto(t, size)
		ledgerSameTables(t, Licenses{}, w.g, other)
		if got, ok, err := GetLicenses(ctx, other.pool, w.ws); err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("size %d: %+v, %v, %v; one by one %+v", size, got, ok, err, want)
		}
		if got, err := SeatUsage(ctx, other.pool, w.ws, from, to); err != nil || !reflect.DeepEqual(got, wantUsage) {
			t.Errorf("size %d: usage %+v, %v; one by one %+v", size, got, err, wantUsage)
		}
	}
}

func TestGetLicensesCountsEveryStatus(t *testing.T) {
	t.Parallel()
	w := newLedgerWorld(newGiven(t, Licenses{}), 10)
	statuses := map[domain.MemberStatus]int{}
	for _, s := range licensesCountedStatuses {
		statuses[s] = 0 // every counted status is present, zero or not
	}
	count := func(s domain.MemberStatus) { statuses[s]++ }
	count(domain.StatusActive) // the owner
	w.invite("Ivy", "Invited", domain.RoleMember)
	count(domain.StatusInvited)
	w.join("Al", "Active", domain.RoleMember)
	count(domain.StatusActive)
	s := w.join("Sue", "Suspended", domain.RoleMember)
	w.roster(domain.MemberSuspended{AccountID: s, Reason: "review"})
	count(domain.StatusSuspended)
	d := w.join("Dee", "Deactivated", domain.RoleMember)
	w.roster(domain.LicenseDeactivated{AccountID: d})
	count(domain.StatusDeactivated)
	x := w.join("Xa", "Deleted", domain.RoleMember)
	w.roster(domain.MemberDeleted{AccountID: x, PreviousStatus: domain.StatusActive, DeletedAt: w.g.now})
	count(domain.StatusDeleted)
	p := w.register("Pia", "Pending", "pia@example.com", "")
	w.self(p, domain.AccessRequested{AccountID: p})
	count(domain.StatusPending)
	r := w.invite("Rex", "Revoked", domain.RoleMember)
	w.roster(domain.InvitationRevoked{AccountID: r})
	q := w.register("Quin", "Rejected", "quin@example.com", "")
	w.self(q, domain.AccessRequested{AccountID: q})
	w.roster(domain.AccessRejected{AccountID: q})
	u := w.join("Pat", "Purged", domain.RoleMember)
	w.roster(domain.MemberDeleted{AccountID: u, PreviousStatus: domain.StatusActive, DeletedAt: w.g.now})
	w.later(31 * 24 * time.Hour)
	w.g.actor = "system"
	w.add(w.g.event(domain.WorkspaceStream(w.ws), domain.MemberPurged{AccountID: u}))
	last := w.roster(domain.PlanChanged{Seats: 12})
	for _, size := range []int{0, 1} {
		g := w.replayInto(t, size)
		got, ok, err := GetLicenses(context.Background(), g.pool, w.ws)
		want := LicenseSummary{WorkspaceID: w.ws, Seats: 12, Used: 4, Available: 8, ByStatus: statuses, UpdatedAt: last.Metadata.OccurredAt}
		if err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("size %d: %+v, %v, %v; want %+v", size, got, ok, err, want)
		}
	}
	if _, ok, err := GetLicenses(context.Background(), w.g.pool, uuid.New()); ok || err != nil {
		t.Errorf("unknown workspace: %v, %v", ok, err)
	}
}

func TestSeatUsagePeaksAndCarriesForward(t *testing.T) {
	t.Parallel()
	g := newGiven(t, Licenses{})
	day := func(n int, h int) time.Time { return time.Date(2026, 3, n, h, 0, 0, 0, time.UTC) }
	g.at(day(1, 8))
	w := newLedgerWorld(g, 3) // day 1: seats 3, the owner uses 1
	a := w.invite("Ann", "A", domain.RoleMember)
	b := w.invite("Ben", "B", domain.RoleMember)
	w.roster(domain.InvitationRevoked{AccountID: b}) // peak 3, ends at 2
	g.at(day(3, 9))                                  // day 2: no events
	w.roster(domain.PlanChanged{Seats: 5})
	c := w.register("Cid", "C", "cid@example.com", "")
	w.self(c, domain.AccessRequested{AccountID: c}) // pending: no seat
	w.roster(domain.AccessApproved{AccountID: c, Role: domain.RoleViewer})
	w.self(a, domain.InvitationAccepted{AccountID: a})
	w.roster(domain.LicenseDeactivated{AccountID: a}) // peak 3, ends at 2 with 5 seats
	g.at(day(5, 10))                                  // day 4: no events
	w.roster(domain.MemberSuspended{AccountID: c, Reason: "audit"})
	w.roster(domain.MemberDeleted{AccountID: c, PreviousStatus: domain.StatusSuspended, DeletedAt: g.now}) // day 5: 2 held since midnight, ends at 1
	g.at(day(5, 23).Add(59 * time.Minute))
	w.roster(domain.LicenseReactivated{AccountID: a}) // a last-minute change: ends at 2 again
	want := []DailyUsage{{day(1, 0), 3, 3}, {day(2, 0), 2, 3}, {day(3, 0), 3, 5}, {day(4, 0), 2, 5}, {day(5, 0), 2, 5}, {day(6, 0), 2, 5}, {day(7, 0), 2, 5}}
	for _, size := range []int{0, 1, 2} {
		other := w.replayInto(t, size)
		got, err := SeatUsage(context.Background(), other.pool, w.ws, day(1, 0).Add(-72*time.Hour), day(7, 23))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("size %d: %+v, %v\nwant %+v", size, got, err, want)
		}
		one, err := SeatUsage(context.Background(), other.pool, w.ws, day(4, 13), day(4, 14))
		if err != nil || !reflect.DeepEqual(one, want[3:4]) {
			t.Errorf("size %d: one day %+v, %v", size, one, err)
		}
	}
}

func TestSeatUsageInvalidRanges(t *testing.T) {
	t.Parallel()
	w := newLedgerWorld(newGiven(t, Licenses{}), 3)
	w.apply(0)
	ctx := context.Background()
	now := w.g.now
	for name, r := range map[string][2]time.Time{
		"to before from": {now, now.Add(-24 * time.Hour)},
		"ten years":      {now, now.Add(SeatUsageMaxDays * 24 * time.Hour)},
	} {
		if _, err := SeatUsage(ctx, w.g.pool, w.ws, r[0], r[1]); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%s: err = %v, want ErrInvalidQuery", name, err)
		}
	}
	if got, err := SeatUsage(ctx, w.g.pool, uuid.New(), now, now); err != nil || got == nil || len(got) != 0 {
		t.Errorf("unknown workspace: %+v, %v", got, err)
	}
	if got, err := SeatUsage(ctx, w.g.pool, w.ws, now.Add(-time.Hour), now); err != nil || len(got) != 1 || got[0].SeatsUsed != 1 || got[0].Seats != 3 {
		t.Errorf("creation day: %+v, %v", got, err)
	}
}
