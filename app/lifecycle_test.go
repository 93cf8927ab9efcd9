package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// TestRestoreWithinThirtyDaysBringsBackEveryGrant deletes a member with grants of every
// kind and restores it 29 days later; another is deleted and found unrestorable after 31.
func TestRestoreWithinThirtyDaysBringsBackEveryGrant(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5)
	ctx := context.Background()
	by := f.by(f.owner)
	member := f.member("kept@example.com", domain.RoleManager).AccountID
	gone := f.member("gone@example.com", domain.RoleMember).AccountID
	project, category, visa, client := uuid.New(), uuid.New(), uuid.New(), uuid.New()
	f.must(f.svc.CreateProject(ctx, by, f.ws, domain.CreateProject{ProjectID: project, Name: "P"}))
	f.must(f.svc.SetModule(ctx, by, f.ws, domain.SetModule{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleMember}))
	f.must(f.svc.DefineBookingCategory(ctx, by, f.ws, domain.DefineBookingCategory{CategoryID: category, Name: "C"}))
	f.must(f.svc.DefineVisa(ctx, by, f.ws, domain.DefineVisa{VisaID: visa, Name: "V"}))
	f.must(f.svc.RegisterClient(ctx, by, f.ws, domain.RegisterClient{ClientID: client, Name: "Acme"}))
	f.must(f.svc.AssignProjectRole(ctx, by, f.ws, member, domain.AssignProjectRole{ProjectID: project, Role: domain.ProjectAdmin}))
	f.must(f.svc.GrantVisa(ctx, by, f.ws, member, domain.GrantVisa{CategoryID: category, VisaID: visa}))
	f.must(f.svc.LinkClient(ctx, by, f.ws, member, domain.LinkClient{ClientID: client}))
	f.must(f.svc.SetPermissionOverrides(ctx, by, f.ws, member, domain.SetPermissionOverrides{Grant: []string{"orders.approve"}, Deny: []string{"orders.delete"}}))
	f.must(f.svc.SetScopeAccess(ctx, by, f.ws, member, domain.SetScopeAccess{Scope: "company:acme", Level: domain.ScopeWrite}))
	f.must(f.svc.SetSecuritySettings(ctx, by, f.ws, member, domain.SetSecuritySettings{MFAEveryLogin: true, PasswordMaxAgeDays: 90}))
	before := f.access(member)

	f.must(f.svc.DeleteMember(ctx, by, f.ws, domain.DeleteMember{AccountID: member}))
	f.must(f.svc.DeleteMember(ctx, by, f.ws, domain.DeleteMember{AccountID: gone}))
	_, err := f.svc.GrantVisa(ctx, by, f.ws, member, domain.GrantVisa{CategoryID: category, VisaID: visa})
	wantCode(t, err, domain.CodeMemberFrozen)

	f.clock.Advance(29 * 24 * time.Hour)
	f.must(f.svc.RestoreMember(ctx, by, f.ws, domain.RestoreMember{AccountID: member}))
	if e, _ := f.workspace().Member(member); e.Status != domain.StatusActive || e.Role != domain.RoleManager {
		t.Fatalf("restored member is %s %s, want active manager", e.Status, e.Role)
	}
	after := f.access(member)
	role, _ := after.ProjectRole(project)
	_, hasVisa := after.Visa(category)
	grant, deny := after.Overrides()
	if role != domain.ProjectAdmin || !hasVisa || len(after.Clients()) != 1 || len(grant) != 1 || len(deny) != 1 ||
		after.Scope("company:acme") != domain.ScopeWrite || after.Security() != before.Security() {
		t.Errorf("grants after restore differ from before the deletion")
	}

	f.clock.Advance(2 * 24 * time.Hour)
	_, err = f.svc.RestoreMember(ctx, by, f.ws, domain.RestoreMember{AccountID: gone})
	wantCode(t, err, domain.CodeRestoreWindowPassed)
	f.must(f.svc.PurgeMember(ctx, app.Meta{Actor: domain.SystemActor()}, f.ws, domain.PurgeMember{AccountID: gone}))
	if got := f.status(gone); got != domain.StatusPurged {
		t.Errorf("status after purge = %s", got)
	}
}

func TestTheOwnerIsProtected(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 3)
	ctx := context.Background()
	admin := f.member("admin@example.com", domain.RoleAdmin)
	owner := f.owner.AccountID
	for _, by := range []domain.Actor{admin, platformAdmin} {
		meta := f.by(by)
		_, err := f.svc.DeleteMember(ctx, meta, f.ws, domain.DeleteMember{AccountID: owner})
		wantCode(t, err, domain.CodeOwnerProtected)
		_, err = f.svc.DeactivateLicense(ctx, meta, f.ws, domain.DeactivateLicense{AccountID: owner})
		wantCode(t, err, domain.CodeOwnerProtected)
		_, err = f.svc.SuspendMember(ctx, meta, f.ws, domain.SuspendMember{AccountID: owner, Reason: "test"})
		wantCode(t, err, domain.CodeOwnerProtected)
		_, err = f.svc.ChangeRole(ctx, meta, f.ws, domain.ChangeRole{AccountID: owner, Role: domain.RoleMember})
		wantCode(t, err, domain.CodeOwnerProtected)
	}
	if e, _ := f.workspace().Member(owner); e.Status != domain.StatusActive || e.Role != domain.RoleOwner {
		t.Fatalf("owner is now %s %s", e.Status, e.Role)
	}
}
