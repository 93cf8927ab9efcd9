package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// TestQueriesAreAuthorizedByARecentRoster: a query is authorized against a roster at
// most a second old, so that queries need not read the workspace each; a change made by
// this process shows at once, one made by another process within the second.
func TestQueriesAreAuthorizedByARecentRoster(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 10)
	manager := f.member("manager@example.com", domain.RoleManager)
	reader := f.newService() // another process, answering the queries
	authorize := func(svc interface {
		Authorize(context.Context, uuid.UUID, domain.Actor, domain.Read, uuid.UUID) error
	}) error {
		// Who may book, or do anything: a manager's read (the member list is for admins).
		return svc.Authorize(ctx, f.ws, manager, domain.ReadAccess, uuid.Nil)
	}
	if err := authorize(reader); err != nil {
		t.Fatalf("a manager may check access: %v", err)
	}
	f.must(f.svc.ChangeRole(ctx, f.by(f.owner), f.ws, domain.ChangeRole{AccountID: manager.AccountID, Role: domain.RoleViewer}))
	if err := authorize(f.svc); domain.KindOf(err) != domain.KindForbidden {
		t.Fatalf("the process that demoted the manager still lets it check access: %v", err)
	}
	if err := authorize(reader); err != nil {
		t.Fatalf("within the second, the other process may answer from the roster it read: %v", err)
	}
	f.clock.Advance(1100 * time.Millisecond)
	if err := authorize(reader); domain.KindOf(err) != domain.KindForbidden {
		t.Fatalf("after the second, the other process still lets the viewer check access: %v", err)
	}
}

// TestMemberAsOfFoldsTheStreamsUpToATime: each moment of a member's story is answered
// from the events that occurred by then.
func TestMemberAsOfFoldsTheStreamsUpToATime(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 10)
	before := f.clock.Now()
	f.clock.Advance(time.Minute)
	m := f.member("ada@example.com", domain.RoleMember)
	f.clock.Advance(time.Minute)
	joined := f.clock.Now()
	f.clock.Advance(time.Minute)
	f.must(f.svc.SuspendMember(ctx, f.by(f.owner), f.ws, domain.SuspendMember{AccountID: m.AccountID, Reason: "audit"}))
	for _, c := range []struct {
		at     time.Time
		on     bool
		status domain.MemberStatus
	}{
		{before, false, ""},
		{joined, true, domain.StatusActive},
		{f.clock.Now(), true, domain.StatusSuspended},
	} {
		got, err := f.svc.MemberAsOf(ctx, f.ws, m.AccountID, c.at)
		if err != nil {
			t.Fatal(err)
		}
		if got.OnRoster != c.on || got.Entry.Status != c.status {
			t.Errorf("as of %s: on roster %t, %s; want %t, %s", c.at, got.OnRoster, got.Entry.Status, c.on, c.status)
		}
	}
}
