package scheduler

import (
	"context"
	"reflect"
	"testing"
	"time"

	"accessledger/domain"
)

// TestDueWorkIsRecordedOnceAtItsInstant: each item is recorded when the clock passes it,
// with its due instant as the event's time, and never again, neither by a later run nor
// by a second instance that runs before the due read model saw the first one's events.
func TestDueWorkIsRecordedOnceAtItsInstant(t *testing.T) {
	w := newWorld(t)
	first, second := w.scheduler("first"), w.scheduler("second")
	if n, held := w.runOnce(first); !held || n != 0 {
		t.Fatalf("nothing due yet: appended %d, held %v", n, held)
	}
	w.clock.set(w.visaEnd.Add(time.Minute))
	if n, _ := w.runOnce(first); n != 1 {
		t.Fatalf("the visa's end passed: %d items recorded, want 1", n)
	}
	// The second instance takes over before the read model has seen the expiry.
	first.Stop(context.Background())
	if _, held := w.runOnce(second); !held {
		t.Fatal("the second instance did not get the lease when the first stopped")
	}
	if got := w.scheduled(); len(got[domain.TypeVisaExpired]) != 1 {
		t.Fatalf("after the second instance ran: %v, want one visa expiry", got)
	}
	w.caughtUp()
	w.clock.set(w.purge.Add(time.Hour)) // past the invitation's expiry and the restore window
	if n, _ := w.runOnce(second); n != 2 {
		t.Fatalf("invitation and purge due: %d recorded, want 2", n)
	}
	w.caughtUp()
	if n, _ := w.runOnce(second); n != 0 {
		t.Fatalf("a run with nothing due recorded %d", n)
	}
	// The invitee held no grant: its expiry clears nothing.
	want := map[string][]time.Time{
		domain.TypeVisaExpired:       {w.visaEnd},
		domain.TypeInvitationExpired: {w.inviteEnd},
		domain.TypeMemberPurged:      {w.purge},
	}
	got := w.scheduled()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("system events %v, want %v", got, want)
	}
	st, err := ReadStatus(context.Background(), w.pool, w.clock.Now())
	must(t, err)
	if st.LeaseOwner != "second" || st.LastRunAt == nil || st.Backlog != 0 {
		t.Fatalf("status %+v", st)
	}
}

// TestOneInstanceAtATime: while one instance holds the lease the others run nothing;
// the lease moves when the holder stops, and when it dies without giving it up.
func TestOneInstanceAtATime(t *testing.T) {
	w := newWorld(t)
	w.clock.set(w.visaEnd.Add(time.Minute))
	a, b := w.scheduler("a"), w.scheduler("b")
	if _, held := w.runOnce(a); !held {
		t.Fatal("the first instance did not get the lease")
	}
	if n, held := w.runOnce(b); held || n != 0 {
		t.Fatalf("a second instance ran while the first held the lease: held %v, appended %d", held, n)
	}
	st, err := ReadStatus(context.Background(), w.pool, time.Now())
	must(t, err)
	if st.LeaseOwner != "a" {
		t.Fatalf("lease owner %q, want a", st.LeaseOwner)
	}
	a.Stop(context.Background())
	if _, held := w.runOnce(b); !held {
		t.Fatal("the lease did not move when its holder stopped")
	}
	// b dies without giving the lease up: c gets it once it expires.
	c := New(w.pool, func(clock func() time.Time) Commands { return nil }, Options{Owner: "c", Now: w.clock.Now, LeaseTTL: time.Hour})
	_, err = w.pool.Exec(context.Background(), `UPDATE scheduler_state SET lease_expires = now() - interval '1 second'`)
	must(t, err)
	if held, err := c.lease.hold(context.Background()); err != nil || !held {
		t.Fatalf("the expired lease did not move: held %v, %v", held, err)
	}
	if _, held, _ := b.RunOnce(context.Background()); held {
		t.Fatal("the instance that lost the lease still runs")
	}
}
