package due

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/projectiontest"
)

// TestDueFollowsWhatTimeWillDo: visas with an end, pending invitations and deleted
// members are due at their instant; whatever ends them first takes them off, and a
// deleted invitee's invitation waits for the restore.
func TestDueFollowsWhatTimeWillDo(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		g := projectiontest.NewGiven(t, Due{})
		ws, cat, cat2 := uuid.New(), uuid.New(), uuid.New()
		ann, bob, cid, dan, eve := uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New()
		t0 := g.Now
		at := func(d time.Duration) *time.Time { v := t0.Add(d); return &v }
		wsStream, member := domain.WorkspaceStream(ws), func(a uuid.UUID) string { return domain.MemberStream(ws, a) }
		g.Apply(size,
			g.Event(wsStream, domain.MemberInvited{AccountID: ann, Role: domain.RoleMember, ExpiresAt: t0.Add(48 * time.Hour)}),
			g.Event(wsStream, domain.InvitationResent{AccountID: ann, ExpiresAt: t0.Add(72 * time.Hour)}),
			g.Event(wsStream, domain.MemberInvited{AccountID: bob, Role: domain.RoleMember, ExpiresAt: t0.Add(time.Hour)}),
			g.Event(wsStream, domain.InvitationAccepted{AccountID: bob}),
			g.Event(member(bob), domain.VisaGranted{WorkspaceID: ws, AccountID: bob, CategoryID: cat, ValidUntil: at(2 * time.Hour)}),
			g.Event(member(bob), domain.VisaGranted{WorkspaceID: ws, AccountID: bob, CategoryID: cat2, ValidUntil: at(3 * time.Hour)}),
			g.Event(member(bob), domain.VisaRevoked{WorkspaceID: ws, AccountID: bob, CategoryID: cat2}),
			g.Event(wsStream, domain.MemberInvited{AccountID: cid, Role: domain.RoleMember, ExpiresAt: t0.Add(time.Hour)}),
			g.Event(wsStream, domain.MemberDeleted{AccountID: cid, PreviousStatus: domain.StatusInvited, DeletedAt: t0}),
			g.Event(wsStream, domain.MemberInvited{AccountID: dan, Role: domain.RoleMember, ExpiresAt: t0.Add(time.Hour)}),
			g.Event(wsStream, domain.MemberDeleted{AccountID: dan, PreviousStatus: domain.StatusInvited, DeletedAt: t0}),
			g.Event(wsStream, domain.MemberRestored{AccountID: dan, Status: domain.StatusInvited}),
			g.Event(wsStream, domain.MemberInvited{AccountID: eve, Role: domain.RoleMember, ExpiresAt: t0.Add(time.Hour)}),
			g.Event(wsStream, domain.InvitationExpired{AccountID: eve, ExpiresAt: t0.Add(time.Hour)}),
		)
		ctx := context.Background()
		got, err := DueBy(ctx, g.Pool, t0.Add(100*24*time.Hour), 100)
		if err != nil {
			t.Fatal(err)
		}
		want := []DueItem{
			{Kind: DueInvitationExpiry, WorkspaceID: ws, AccountID: dan, DueAt: t0.Add(time.Hour)},
			{Kind: DueVisaExpiry, WorkspaceID: ws, AccountID: bob, ItemID: cat, DueAt: t0.Add(2 * time.Hour)},
			{Kind: DueInvitationExpiry, WorkspaceID: ws, AccountID: ann, DueAt: t0.Add(72 * time.Hour)},
			{Kind: DueMemberPurge, WorkspaceID: ws, AccountID: cid, DueAt: domain.PurgeDue(t0)},
		}
		for i := range got {
			got[i].DueAt = got[i].DueAt.UTC()
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("size %d: due\n%+v\nwant\n%+v", size, got, want)
		}
		if n, err := DueCount(ctx, g.Pool, t0.Add(2*time.Hour)); err != nil || n != 2 {
			t.Fatalf("size %d: %d due after two hours (%v), want 2", size, n, err)
		}
		g.Apply(size,
			g.Event(member(bob), domain.VisaExpired{WorkspaceID: ws, AccountID: bob, CategoryID: cat}),
			g.Event(wsStream, domain.MemberPurged{AccountID: cid}),
		)
		if n, _ := DueCount(ctx, g.Pool, t0.Add(100*24*time.Hour)); n != 2 {
			t.Fatalf("size %d: %d due after the expiry and purge, want 2", size, n)
		}
	}
}

// TestDuePausesADeletedWorkspace: a deleted workspace's work waits (every command into it
// is refused) and its purge falls due at the end of the restore window; a restore takes
// the purge off and lets the work run again; a purge ends all of its work.
func TestDuePausesADeletedWorkspace(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		g := projectiontest.NewGiven(t, Due{})
		ws, other, ann, bob := uuid.New(), uuid.New(), uuid.New(), uuid.New()
		t0 := g.Now
		later := t0.Add(100 * 24 * time.Hour)
		invite := func(ws, a uuid.UUID, expires time.Duration) projections.Envelope {
			return g.Event(domain.WorkspaceStream(ws), domain.MemberInvited{AccountID: a, Role: domain.RoleMember, ExpiresAt: t0.Add(expires)})
		}
		ctx := context.Background()
		due := func(what string, want ...DueItem) {
			t.Helper()
			got, err := DueBy(ctx, g.Pool, later, 100)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i].DueAt = got[i].DueAt.UTC()
			}
			if len(want) == 0 {
				want = nil
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("size %d, %s: due\n%+v\nwant\n%+v", size, what, got, want)
			}
		}
		annDue := DueItem{Kind: DueInvitationExpiry, WorkspaceID: ws, AccountID: ann, DueAt: t0.Add(time.Hour)}
		bobDue := DueItem{Kind: DueInvitationExpiry, WorkspaceID: other, AccountID: bob, DueAt: t0.Add(2 * time.Hour)}
		purge := DueItem{Kind: DueWorkspacePurge, WorkspaceID: ws, DueAt: domain.PurgeDue(t0)}
		g.Apply(size, invite(ws, ann, time.Hour), invite(other, bob, 2*time.Hour),
			g.Event(domain.WorkspaceStream(ws), domain.WorkspaceDeleted{Reason: "closing", DeletedAt: t0}))
		due("deleted", bobDue, purge)
		g.Apply(size, g.Event(domain.WorkspaceStream(ws), domain.WorkspaceRestored{DeletedAt: t0}))
		due("restored", annDue, bobDue)
		g.Apply(size,
			g.Event(domain.WorkspaceStream(ws), domain.WorkspaceDeleted{Reason: "closing", DeletedAt: t0}),
			g.Event(domain.WorkspaceStream(ws), domain.WorkspacePurged{DeletedAt: t0}))
		due("purged", bobDue)
	}
}
