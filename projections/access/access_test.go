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
		a, err := access.ParseAction(in)
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
		_, err := access.ParseAction(in)
		var qe *projections.QueryError
		if !errors.Is(err, projections.ErrInvalidQuery) || !errors.As(err, &qe) || qe.Field != "action" {
			t.Errorf("ParseAction(%q) = %v, want an invalid query on field action", in, err)
		}
	}
}

// fixture is a workspace with a member in every situation the checks distinguish.
type fixture struct {
	*projectiontest.World
	admin, member, viewer, suspended, invited, pending, deactivated, deleted, purged uuid.UUID
	cat, retiredCat, visa, retiredVisa, project, archived                            uuid.UUID
	visaEnd                                                                          time.Time
}

func newAccessFixture(t *testing.T, size int) *fixture {
	w := projectiontest.NewWorld(projectiontest.NewGiven(t, access.AccessCheck{}))
	f := &fixture{World: w}
	w.Module(domain.ModuleBooking, true, domain.RoleMember)
	w.Module("reports", true, domain.RoleManager)
	w.Module("legacy", false, domain.RoleViewer)
	f.cat, f.retiredCat, f.visa, f.retiredVisa = w.Category("Microscopes"), w.Category("Old"), w.Visa("Basic"), w.Visa("Old")
	f.project, f.archived = w.Project("Apollo"), w.Project("Gemini")
	f.admin, f.member, f.viewer = w.Join(domain.RoleAdmin), w.Join(domain.RoleMember), w.Join(domain.RoleViewer)
	f.suspended, f.deactivated, f.deleted, f.purged = w.Join(domain.RoleMember), w.Join(domain.RoleMember), w.Join(domain.RoleMember), w.Join(domain.RoleMember)
	f.invited, f.pending = uuid.New(), uuid.New()
	w.Account(f.invited)
	w.WsEvent(domain.MemberInvited{AccountID: f.invited, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: w.Now().Add(time.Hour)})
	w.Account(f.pending)
	w.WsEvent(domain.AccessRequested{AccountID: f.pending})
	f.visaEnd = w.Now().Add(time.Hour)
	for _, m := range []uuid.UUID{f.member, f.viewer, f.suspended, f.invited, f.deactivated, f.deleted, f.purged} {
		w.GrantVisa(m, f.cat, f.visa, &f.visaEnd)
		w.Access(m, domain.ProjectRoleAssigned{WorkspaceID: w.WS, AccountID: m, ProjectID: f.project, Role: domain.ProjectContributor})
	}
	w.GrantVisa(f.member, f.retiredCat, f.visa, nil)
	w.Access(f.member, domain.ProjectRoleAssigned{WorkspaceID: w.WS, AccountID: f.member, ProjectID: f.archived, Role: domain.ProjectAdmin})
	w.Access(f.member, domain.PermissionsSet{WorkspaceID: w.WS, AccountID: f.member, Grant: []string{"reports.export"}, Deny: []string{"billing.invoices"}})
	w.Access(f.member, domain.ScopeSet{WorkspaceID: w.WS, AccountID: f.member, Scope: "company:acme", Level: domain.ScopeRead})
	w.Access(f.admin, domain.PermissionsSet{WorkspaceID: w.WS, AccountID: f.admin, Grant: []string{}, Deny: []string{"billing.invoices"}})
	w.Access(f.admin, domain.ScopeSet{WorkspaceID: w.WS, AccountID: f.admin, Scope: "company:acme", Level: domain.ScopeWrite})
	w.GrantVisa(f.admin, f.cat, f.retiredVisa, nil)
	w.WsEvent(domain.MemberSuspended{AccountID: f.suspended, Reason: "review"})
	w.WsEvent(domain.LicenseDeactivated{AccountID: f.deactivated})
	w.WsEvent(domain.MemberDeleted{AccountID: f.deleted, PreviousStatus: domain.StatusActive, DeletedAt: w.Now()})
	w.WsEvent(domain.MemberDeleted{AccountID: f.purged, PreviousStatus: domain.StatusActive, DeletedAt: w.Now()})
	w.WsEvent(domain.MemberPurged{AccountID: f.purged})
	w.WsEvent(domain.ProjectArchived{ProjectID: f.archived})
	w.WsEvent(domain.BookingCategoryRetired{CategoryID: f.retiredCat})
	w.WsEvent(domain.VisaRetired{VisaID: f.retiredVisa})
	w.Apply(size)
	return f
}

type checkCase struct {
	name    string
	account uuid.UUID
	action  string
	at      time.Time // zero: the fixture's last event
	allowed bool
	reason  string
}

func (f *fixture) check(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		at := c.at
		if at.IsZero() {
			at = f.Now()
		}
		got, err := access.CheckAccess(context.Background(), f.G.Pool, f.WS, c.account, c.action, at)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != (access.Decision{Allowed: c.allowed, Reason: c.reason}) {
			t.Errorf("%s: CheckAccess(%s) = %+v, want allowed=%v reason=%s", c.name, c.action, got, c.allowed, c.reason)
		}
	}
}
