package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// TestDeletedWorkspaceLocksMembersOutAtOnce: the query right after the deletion is
// refused, with no wait for a read model or for Options.ReadFreshness; the auditor still
// reads the history.
func TestDeletedWorkspaceLocksMembersOutAtOnce(t *testing.T) {
	f := newFixture(t, 5)
	ctx := context.Background()
	admin := f.member("admin@example.com", domain.RoleAdmin)
	auditor := f.member("auditor@example.com", domain.RoleAuditor)
	// Warm the cache, so that a stale state would be the one answering.
	if err := f.svc.Authorize(ctx, f.ws, admin, domain.ReadMembers, uuid.Nil); err != nil {
		t.Fatal(err)
	}
	f.must(f.svc.DeleteWorkspace(ctx, f.by(f.owner), f.ws, domain.DeleteWorkspace{Reason: "closing"}))
	wantCode(t, f.svc.Authorize(ctx, f.ws, admin, domain.ReadMembers, uuid.Nil), domain.CodeWorkspaceDeleted)
	_, err := f.svc.Workspace(ctx, f.ws, f.owner)
	wantCode(t, err, domain.CodeWorkspaceDeleted)
	if err := f.svc.Authorize(ctx, f.ws, auditor, domain.ReadHistory, uuid.Nil); err != nil {
		t.Errorf("the auditor cannot read the history of the deleted workspace: %v", err)
	}
	_, err = f.svc.RenameWorkspace(ctx, f.by(admin), f.ws, domain.RenameWorkspace{Name: "Other"})
	wantCode(t, err, domain.CodeWorkspaceDeleted)
}

// TestPurgeWorkspace: the system purges a deleted workspace only after the restore
// window; again, from another process or with another command id, it appends nothing.
func TestPurgeWorkspace(t *testing.T) {
	f := newFixture(t, 5)
	ctx := context.Background()
	system := app.Meta{Actor: domain.SystemActor()}
	f.must(f.svc.DeleteWorkspace(ctx, f.by(f.owner), f.ws, domain.DeleteWorkspace{Reason: "closing"}))
	f.clock.Advance(domain.RestoreWindow)
	_, err := f.svc.PurgeWorkspace(ctx, system, f.ws)
	wantCode(t, err, domain.CodeInvalidTransition)
	_, err = f.svc.PurgeWorkspace(ctx, f.by(platformAdmin), f.ws)
	wantCode(t, err, domain.CodeForbidden)

	f.clock.Advance(time.Second)
	other := f.newService() // a second scheduler, in another process
	var wg sync.WaitGroup
	results := make([]app.Result, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc, meta := f.svc, system
			if i%2 == 1 {
				svc = other
			}
			if i >= 2 {
				meta.CommandID = uuid.New() // a caller with its own command id
			}
			res, err := svc.PurgeWorkspace(ctx, meta, f.ws)
			if err != nil {
				t.Errorf("purge %d: %v", i, err)
			}
			results[i] = res
		}()
	}
	wg.Wait()
	purges := 0
	for _, e := range f.readAll(domain.WorkspaceStream(f.ws)) {
		if _, ok := e.(domain.WorkspacePurged); ok {
			purges++
		}
	}
	if purges != 1 || !f.workspace().Purged() {
		t.Fatalf("%d workspace.purged events, want 1 (results %+v)", purges, results)
	}
	_, err = f.svc.RestoreWorkspace(ctx, f.by(f.owner), f.ws)
	wantCode(t, err, domain.CodeRestoreWindowPassed)
}
