package projections

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

func TestParseAction(t *testing.T) {
	t.Parallel()
	id := uuid.MustParse("0190a6c4-9a3e-7c2b-8d4e-1f2a3b4c5d6e")
	valid := map[string]string{
		"login":               "login",
		"module:booking":      "module:booking",
		"module:users":        "module:users",
		"book:" + id.String(): "book:" + id.String(),
		"book:0190A6C4-9A3E-7C2B-8D4E-1F2A3B4C5D6E": "book:" + id.String(),
		"project:" + id.String() + ":contributor":   "project:" + id.String() + ":contributor",
		"project:" + id.String() + ":project_admin": "project:" + id.String() + ":project_admin",
		"feature:billing.invoices":                  "feature:billing.invoices",
		"scope:company:acme:read":                   "scope:company:acme:read",
		"scope:folder:q3-2026.v2:write":             "scope:folder:q3-2026.v2:write",
	}
	for in, want := range valid {
		a, err := ParseAction(in)
		if err != nil {
			t.Errorf("ParseAction(%q): %v", in, err)
			continue
		}
		if a.String() != want {
			t.Errorf("ParseAction(%q).String() = %q, want %q", in, a.String(), want)
		}
	}
	invalid := []string{"", "*", "login:x", "logout", "module:", "module:Booking", "module:a-b",
		"book:", "book:x", "book:" + uuid.Nil.String(), "book:{" + id.String() + "}",
		"project:" + id.String(), "project:" + id.String() + ":owner", "project:x:viewer",
		"feature:", "feature:*", "feature:Billing", "feature:a..b", "scope:company:acme",
		"scope:company:acme:none", "scope:company:acme:admin", "scope:acme:read", "scope::read"}
	for _, in := range invalid {
		_, err := ParseAction(in)
		var qe *QueryError
		if !errors.Is(err, ErrInvalidQuery) || !errors.As(err, &qe) || qe.Field != "action" {
			t.Errorf("ParseAction(%q) = %v, want an invalid query on field action", in, err)
		}
	}
}

// accessFixture is a workspace with a member in every situation the checks distinguish.
type accessFixture struct {
	*authzWorld
	admin, member, viewer, suspended, invited, pending, deactivated, deleted, purged uuid.UUID
	cat, retiredCat, visa, retiredVisa, project, archived                            uuid.UUID
	visaEnd                                                                          time.Time
}

func newAccessFixture(t *testing.T, size int) *accessFixture {
	w := newAuthzWorld(newGiven(t, AccessCheck{}))
	f := &accessFixture{authzWorld: w}
	w.module(domain.ModuleBooking, true, domain.RoleMember)
	w.module("reports", true, domain.RoleManager)
	w.module("legacy", false, domain.RoleViewer)
	f.cat, f.retiredCat, f.visa, f.retiredVisa = w.category("Microscopes"), w.category("Old"), w.visa("Basic"), w.visa("Old")
	f.project, f.archived = w.project("Apollo"), w.project("Gemini")
	f.admin, f.member, f.viewer = w.join(domain.RoleAdmin), w.join(domain.RoleMember), w.join(domain.RoleViewer)
	f.suspended, f.deactivated, f.deleted, f.purged = w.join(domain.RoleMember), w.join(domain.RoleMember), w.join(domain.RoleMember), w.join(domain.RoleMember)
	f.invited, f.pending = uuid.New(), uuid.New()
	w.account(f.invited)
	w.wsEvent(domain.MemberInvited{AccountID: f.invited, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: w.now().Add(time.Hour)})
	w.account(f.pending)
	w.wsEvent(domain.AccessRequested{AccountID: f.pending})
	f.visaEnd = w.now().Add(time.Hour)
	for _, m := range []uuid.UUID{f.member, f.viewer, f.suspended, f.invited, f.deactivated, f.deleted, f.purged} {
		w.grantVisa(m, f.cat, f.visa, &f.visaEnd)
		w.access(m, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: m, ProjectID: f.project, Role: domain.ProjectContributor})
	}
	w.grantVisa(f.member, f.retiredCat, f.visa, nil)
	w.access(f.member, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: f.member, ProjectID: f.archived, Role: domain.ProjectAdmin})
	w.access(f.member, domain.PermissionsSet{WorkspaceID: w.ws, AccountID: f.member, Grant: []string{"reports.export"}, Deny: []string{"billing.invoices"}})
	w.access(f.member, domain.ScopeSet{WorkspaceID: w.ws, AccountID: f.member, Scope: "company:acme", Level: domain.ScopeRead})
	w.access(f.admin, domain.PermissionsSet{WorkspaceID: w.ws, AccountID: f.admin, Grant: []string{}, Deny: []string{"billing.invoices"}})
	w.access(f.admin, domain.ScopeSet{WorkspaceID: w.ws, AccountID: f.admin, Scope: "company:acme", Level: domain.ScopeWrite})
	w.grantVisa(f.admin, f.cat, f.retiredVisa, nil)
	w.wsEvent(domain.MemberSuspended{AccountID: f.suspended, Reason: "review"})
	w.wsEvent(domain.LicenseDeactivated{AccountID: f.deactivated})
	w.wsEvent(domain.MemberDeleted{AccountID: f.deleted, PreviousStatus: domain.StatusActive, DeletedAt: w.now()})
	w.wsEvent(domain.MemberDeleted{AccountID: f.purged, PreviousStatus: domain.StatusActive, DeletedAt: w.now()})
	w.wsEvent(domain.MemberPurged{AccountID: f.purged})
	w.wsEvent(domain.ProjectArchived{ProjectID: f.archived})
	w.wsEvent(domain.BookingCategoryRetired{CategoryID: f.retiredCat})
	w.wsEvent(domain.VisaRetired{VisaID: f.retiredVisa})
	w.apply(size)
	return f
}

type accessCase struct {
	name    string
	account uuid.UUID
	action  string
	at      time.Time // zero: the fixture's last event
	allowed bool
	reason  string
}

func (f *accessFixture) check(t *testing.T, cases []accessCase) {
	t.Helper()
	for _, c := range cases {
		at := c.at
		if at.IsZero() {
			at = f.now()
		}
		got, err := CheckAccess(context.Background(), f.g.pool, f.ws, c.account, c.action, at)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != (Decision{Allowed: c.allowed, Reason: c.reason}) {
			t.Errorf("%s: CheckAccess(%s) = %+v, want allowed=%v reason=%s", c.name, c.action, got, c.allowed, c.reason)
		}
	}
}
