package access_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/access"
	"accessledger/projections/projectiontest"
	"accessledger/projections/roster"
)

func TestCheckAccess(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		f := newAccessFixture(t, size)
		book, oldBook := "book:"+f.cat.String(), "book:"+f.retiredCat.String()
		project := func(id uuid.UUID, role string) string { return "project:" + id.String() + ":" + role }
		var cases []checkCase
		for name, m := range map[string]uuid.UUID{"invited": f.invited, "pending": f.pending, "suspended": f.suspended,
			"deactivated": f.deactivated, "deleted": f.deleted, "purged": f.purged} {
			for _, action := range []string{"login", "module:booking", book, project(f.project, "viewer"), "feature:reports.export"} {
				cases = append(cases, checkCase{name: name + " " + action, account: m, action: action, reason: access.ReasonInactive})
			}
		}
		cases = append(cases, []checkCase{
			{"stranger", uuid.New(), "login", time.Time{}, false, access.ReasonNotAMember},
			{"owner logs in", f.Owner, "login", time.Time{}, true, access.ReasonGranted},
			{"member logs in", f.member, "login", time.Time{}, true, access.ReasonGranted},
			{"users module: owner", f.Owner, "module:users", time.Time{}, true, access.ReasonGranted},
			{"users module: admin", f.admin, "module:users", time.Time{}, true, access.ReasonGranted},
			{"users module: member", f.member, "module:users", time.Time{}, false, access.ReasonNoGrant},
			{"reports: admin", f.admin, "module:reports", time.Time{}, true, access.ReasonGranted},
			{"reports: below manager", f.member, "module:reports", time.Time{}, false, access.ReasonNoGrant},
			{"disabled module", f.Owner, "module:legacy", time.Time{}, false, access.ReasonNoGrant},
			{"unknown module", f.Owner, "module:nothing", time.Time{}, false, access.ReasonNoGrant},
			{"book: member", f.member, book, time.Time{}, true, access.ReasonGranted},
			{"book: just before the end", f.member, book, f.visaEnd.Add(-time.Microsecond), true, access.ReasonGranted},
			{"book: at the end", f.member, book, f.visaEnd, false, access.ReasonExpired},
			{"book: viewer below the module's role", f.viewer, book, time.Time{}, false, access.ReasonNoGrant},
			{"book: retired category", f.member, oldBook, time.Time{}, false, access.ReasonNoGrant},
			{"book: retired visa", f.admin, book, time.Time{}, false, access.ReasonNoGrant},
			{"book: no visa", f.Owner, book, time.Time{}, false, access.ReasonNoGrant},
			{"project: contributor as viewer", f.member, project(f.project, "viewer"), time.Time{}, true, access.ReasonGranted},
			{"project: contributor as contributor", f.member, project(f.project, "contributor"), time.Time{}, true, access.ReasonGranted},
			{"project: contributor as admin", f.member, project(f.project, "project_admin"), time.Time{}, false, access.ReasonNoGrant},
			{"project: archived", f.member, project(f.archived, "viewer"), time.Time{}, false, access.ReasonNoGrant},
			{"project: not in it", f.viewer, project(f.cat, "viewer"), time.Time{}, false, access.ReasonNoGrant},
			{"project: admin by workspace role", f.admin, project(f.project, "project_admin"), time.Time{}, true, access.ReasonWorkspaceRole},
			{"project: owner by workspace role", f.Owner, project(f.project, "viewer"), time.Time{}, true, access.ReasonWorkspaceRole},
			{"project: admin, archived", f.admin, project(f.archived, "viewer"), time.Time{}, false, access.ReasonNoGrant},
			{"project: admin, unknown project", f.admin, project(f.cat, "viewer"), time.Time{}, false, access.ReasonNoGrant},
			{"feature: owner default", f.Owner, "feature:billing.invoices", time.Time{}, true, access.ReasonRoleDefault},
			{"feature: admin default", f.admin, "feature:reports.export", time.Time{}, true, access.ReasonRoleDefault},
			{"feature: admin denied", f.admin, "feature:billing.invoices", time.Time{}, false, access.ReasonDenied},
			{"feature: member granted", f.member, "feature:reports.export", time.Time{}, true, access.ReasonGranted},
			{"feature: member denied", f.member, "feature:billing.invoices", time.Time{}, false, access.ReasonDenied},
			{"feature: member default", f.member, "feature:other", time.Time{}, false, access.ReasonNoGrant},
			{"scope: read held, read asked", f.member, "scope:company:acme:read", time.Time{}, true, access.ReasonGranted},
			{"scope: read held, write asked", f.member, "scope:company:acme:write", time.Time{}, false, access.ReasonNoGrant},
			{"scope: write held, read asked", f.admin, "scope:company:acme:read", time.Time{}, true, access.ReasonGranted},
			{"scope: write held, write asked", f.admin, "scope:company:acme:write", time.Time{}, true, access.ReasonGranted},
			{"scope: other scope", f.admin, "scope:company:other:read", time.Time{}, false, access.ReasonNoGrant},
		}...)
		f.check(t, cases)
	}
}

func TestCheckAccessInvalidAction(t *testing.T) {
	t.Parallel()
	g := projectiontest.NewGiven(t, access.AccessCheck{})
	_, err := access.CheckAccess(context.Background(), g.Pool, uuid.New(), uuid.New(), "book:nope", time.Now())
	if !errors.Is(err, projections.ErrInvalidQuery) {
		t.Errorf("CheckAccess with an invalid action = %v, want ErrInvalidQuery", err)
	}
}

// TestCheckAccessFollowsChanges changes the roster, the grants and the workspace's
// configuration one event at a time and checks that every member's rows follow.
func TestCheckAccessFollowsChanges(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, 0)
	book := "book:" + f.cat.String()
	step := func(name string, payload domain.Event, cases ...checkCase) {
		t.Helper()
		f.Events = nil
		if _, member := roster.AccessMember(payload); member {
			m, _ := roster.AccessMember(payload)
			f.Access(m.Account, payload)
		} else {
			f.WsEvent(payload)
		}
		f.Apply(1)
		for i := range cases {
			cases[i].name = name + ": " + cases[i].name
		}
		f.check(t, cases)
	}
	step("booking raised to managers", domain.ModuleSet{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleManager},
		checkCase{name: "member", account: f.member, action: book, reason: access.ReasonNoGrant})
	step("member promoted", domain.RoleChanged{AccountID: f.member, From: domain.RoleMember, To: domain.RoleManager},
		checkCase{name: "book", account: f.member, action: book, allowed: true, reason: access.ReasonGranted},
		checkCase{name: "reports", account: f.member, action: "module:reports", allowed: true, reason: access.ReasonGranted})
	step("suspended reinstated", domain.MemberReinstated{AccountID: f.suspended},
		checkCase{name: "login", account: f.suspended, action: "login", allowed: true, reason: access.ReasonGranted},
		checkCase{name: "project", account: f.suspended, action: "project:" + f.project.String() + ":viewer", allowed: true, reason: access.ReasonGranted})
	step("visa revoked", domain.VisaRevoked{WorkspaceID: f.WS, AccountID: f.member, CategoryID: f.cat},
		checkCase{name: "book", account: f.member, action: book, reason: access.ReasonNoGrant})
	step("booking disabled", domain.ModuleSet{Module: domain.ModuleBooking, Enabled: false, MinRole: domain.RoleManager})
	step("visa granted while disabled", domain.VisaGranted{WorkspaceID: f.WS, AccountID: f.member, CategoryID: f.cat, VisaID: f.visa},
		checkCase{name: "book", account: f.member, action: book, reason: access.ReasonNoGrant})
	step("booking enabled", domain.ModuleSet{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleViewer},
		checkCase{name: "book", account: f.member, action: book, allowed: true, reason: access.ReasonGranted},
		checkCase{name: "viewer", account: f.viewer, action: book, allowed: true, reason: access.ReasonGranted})
	step("permissions copied", domain.PermissionsCopied{WorkspaceID: f.WS, AccountID: f.viewer, FromAccountID: f.member,
		ProjectRoles: map[uuid.UUID]domain.ProjectRole{f.project: domain.ProjectAdmin}, Grant: []string{"reports.export"},
		Deny: []string{}, Scopes: map[string]domain.ScopeLevel{"company:acme": domain.ScopeWrite}},
		checkCase{name: "project admin", account: f.viewer, action: "project:" + f.project.String() + ":project_admin", allowed: true, reason: access.ReasonGranted},
		checkCase{name: "feature", account: f.viewer, action: "feature:reports.export", allowed: true, reason: access.ReasonGranted},
		checkCase{name: "scope", account: f.viewer, action: "scope:company:acme:write", allowed: true, reason: access.ReasonGranted})
	step("scope removed", domain.ScopeSet{WorkspaceID: f.WS, AccountID: f.viewer, Scope: "company:acme", Level: domain.ScopeNone},
		checkCase{name: "scope", account: f.viewer, action: "scope:company:acme:read", reason: access.ReasonNoGrant})
	step("ownership transferred", domain.OwnershipTransferred{From: f.Owner, To: f.admin},
		checkCase{name: "old owner keeps admin defaults", account: f.Owner, action: "feature:x", allowed: true, reason: access.ReasonRoleDefault},
		checkCase{name: "new owner", account: f.admin, action: "module:users", allowed: true, reason: access.ReasonGranted})
	step("restored", domain.MemberRestored{AccountID: f.deleted, Status: domain.StatusActive},
		checkCase{name: "login", account: f.deleted, action: "login", allowed: true, reason: access.ReasonGranted})
	step("invitation revoked", domain.InvitationRevoked{AccountID: f.invited},
		checkCase{name: "login", account: f.invited, action: "login", reason: access.ReasonNotAMember})
	step("pending approved", domain.AccessApproved{AccountID: f.pending, Role: domain.RoleAdmin},
		checkCase{name: "users", account: f.pending, action: "module:users", allowed: true, reason: access.ReasonGranted})
	step("pending grants cleared", domain.GrantsCleared{WorkspaceID: f.WS, AccountID: f.invited},
		checkCase{name: "login", account: f.invited, action: "login", reason: access.ReasonNotAMember})
	later := uuid.New()
	onLater := "project:" + later.String() + ":contributor"
	step("project created", domain.ProjectCreated{ProjectID: later, Name: "Later"},
		checkCase{name: "new owner", account: f.admin, action: onLater, allowed: true, reason: access.ReasonWorkspaceRole},
		checkCase{name: "approved admin", account: f.pending, action: onLater, allowed: true, reason: access.ReasonWorkspaceRole},
		checkCase{name: "old owner, an admin", account: f.Owner, action: onLater, allowed: true, reason: access.ReasonWorkspaceRole},
		checkCase{name: "member", account: f.member, action: onLater, reason: access.ReasonNoGrant})
	step("admin demoted", domain.RoleChanged{AccountID: f.pending, From: domain.RoleAdmin, To: domain.RoleMember},
		checkCase{name: "project", account: f.pending, action: onLater, reason: access.ReasonNoGrant})
	step("admin suspended", domain.MemberSuspended{AccountID: f.Owner},
		checkCase{name: "project", account: f.Owner, action: onLater, reason: access.ReasonInactive})
	step("project archived", domain.ProjectArchived{ProjectID: f.project},
		checkCase{name: "project", account: f.viewer, action: "project:" + f.project.String() + ":viewer", reason: access.ReasonNoGrant},
		checkCase{name: "admin", account: f.admin, action: "project:" + f.project.String() + ":viewer", reason: access.ReasonNoGrant})
}
