package scheduler

import (
	"context"
	"reflect"
	"testing"
	"time"

	"accessledger/app"
	"accessledger/domain"
)

// TestADeletedWorkspaceIsPurgedOnceAtTheEndOfItsWindow: once the owner deletes the
// workspace, its other due work waits (every command into it is refused), and the purge
// is recorded at the first instant after the restore window, once, even by two runs.
func TestADeletedWorkspaceIsPurgedOnceAtTheEndOfItsWindow(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	deletedAt := w.clock.Now()
	svc := app.New(w.store, app.Options{Clock: w.clock.Now})
	owner := app.Meta{Actor: domain.Actor{AccountID: w.owner}}
	w.step(svc.DeleteWorkspace(ctx, owner, w.ws, domain.DeleteWorkspace{Reason: "the lab closes"}))
	w.caughtUp()
	s := w.scheduler("only")
	w.clock.set(w.visaEnd.Add(time.Minute))
	if n, _ := w.runOnce(s); n != 0 {
		t.Fatalf("the visa of a deleted workspace was recorded: %d items", n)
	}
	w.clock.set(domain.PurgeDue(deletedAt).Add(time.Hour))
	if n, _ := w.runOnce(s); n != 1 {
		t.Fatalf("the window passed: %d items recorded, want the workspace's purge", n)
	}
	w.caughtUp()
	if n, _ := w.runOnce(s); n != 0 {
		t.Fatalf("a run after the purge recorded %d", n)
	}
	want := map[string][]time.Time{domain.TypeWorkspacePurged: {domain.PurgeDue(deletedAt)}}
	if got := w.scheduled(); !reflect.DeepEqual(got, want) {
		t.Fatalf("system events %v, want %v", got, want)
	}
}
