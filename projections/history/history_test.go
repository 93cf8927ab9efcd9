package history

import (
	"context"
	"reflect"
	"testing"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections/projectiontest"
)

func TestAccessAt(t *testing.T) {
	t.Parallel()
	s := projectiontest.NewScenario(projectiontest.NewGiven(t, History{}))
	s.Apply(0)
	ctx := context.Background()
	security := &domain.SecuritySettings{MFAEveryLogin: true, PasswordMaxAgeDays: 90}
	modules := map[string]domain.WorkspaceRole{"users": domain.RoleAdmin, "booking": domain.RoleMember, "reports": domain.RoleManager}
	base := func(m uuid.UUID, at string) MemberAccessAt {
		return MemberAccessAt{WorkspaceID: s.WS, AccountID: m, At: s.Marks[at], Projects: map[uuid.UUID]ProjectRoleAt{},
			Visas: map[uuid.UUID]VisaAt{}, Clients: []uuid.UUID{}, Grant: []string{}, Deny: []string{},
			Scopes: map[string]domain.ScopeLevel{}, Modules: modules}
	}
	bobGranted := base(s.Bob, "granted")
	bobGranted.Member, bobGranted.Status, bobGranted.Role, bobGranted.HoldsSeat = true, domain.StatusActive, domain.RoleMember, true
	bobGranted.Projects = map[uuid.UUID]ProjectRoleAt{s.Apollo: {Role: domain.ProjectContributor}, s.Gemini: {Role: domain.ProjectAdmin}}
	bobGranted.Visas = map[uuid.UUID]VisaAt{s.Microscopes: {VisaID: s.Basic, Bookable: true}, s.Lasers: {VisaID: s.Basic, Bookable: true}}
	bobGranted.Clients = []uuid.UUID{s.Acme}
	bobGranted.Grant = []string{"billing.invoices", "reports.export"}
	bobGranted.Scopes = map[string]domain.ScopeLevel{"company:acme": domain.ScopeWrite, "folder:q3": domain.ScopeRead}
	bobGranted.Security = security

	bobEnd := bobGranted
	bobEnd.At = s.Marks["end"]
	bobEnd.Modules = map[string]domain.WorkspaceRole{"users": domain.RoleAdmin, "booking": domain.RoleManager}
	bobEnd.Projects = map[uuid.UUID]ProjectRoleAt{s.Apollo: {Role: domain.ProjectContributor}, s.Gemini: {Role: domain.ProjectAdmin, Archived: true}}
	bobEnd.Visas = map[uuid.UUID]VisaAt{s.Microscopes: {VisaID: s.Basic}} // booking now needs a manager
	bobEnd.Grant, bobEnd.Deny = []string{"reports.export"}, []string{"admin.audit"}
	bobEnd.Scopes = map[string]domain.ScopeLevel{"company:acme": domain.ScopeWrite}

	carolSuspended := base(s.Carol, "suspended")
	carolSuspended.Member, carolSuspended.Status, carolSuspended.Role, carolSuspended.HoldsSeat = true, domain.StatusSuspended, domain.RoleMember, true
	carolSuspended.Visas = map[uuid.UUID]VisaAt{s.Microscopes: {VisaID: s.Basic}}
	carolSuspended.Clients = []uuid.UUID{s.Initech}

	erinEnd := base(s.Erin, "end")
	erinEnd.Modules = bobEnd.Modules
	erinEnd.Member, erinEnd.Status, erinEnd.Role = true, domain.StatusPurged, domain.RoleMember // purged keeps its frozen grants
	erinEnd.Projects = map[uuid.UUID]ProjectRoleAt{s.Apollo: {Role: domain.ProjectContributor}, s.Gemini: {Role: domain.ProjectAdmin, Archived: true}}
	until := s.Marks["erin_until"]
	erinEnd.Visas = map[uuid.UUID]VisaAt{s.Microscopes: {VisaID: s.Expert, ValidUntil: &until}} // valid still, but not bookable
	erinEnd.Grant = []string{"billing.invoices", "reports.export"}
	erinEnd.Scopes = map[string]domain.ScopeLevel{"company:acme": domain.ScopeWrite, "folder:q3": domain.ScopeRead}

	davePending := base(s.Dave, "roster")
	davePending.Member, davePending.Status, davePending.Role, davePending.HoldsSeat = true, domain.StatusActive, domain.RoleManager, true

	for name, c := range map[string]struct {
		account uuid.UUID
		at      string
		want    MemberAccessAt
	}{
		"bob when granted": {s.Bob, "granted", bobGranted},
		"bob at the end":   {s.Bob, "end", bobEnd},
		"carol suspended":  {s.Carol, "suspended", carolSuspended},
		"erin purged":      {s.Erin, "end", erinEnd},
		"dave approved":    {s.Dave, "roster", davePending},
		"gina revoked":     {s.Gina, "roster", base(s.Gina, "roster")},
		"frank rejected":   {s.Frank, "end", func() MemberAccessAt { a := base(s.Frank, "end"); a.Modules = bobEnd.Modules; return a }()},
	} {
		got, err := AccessAt(ctx, s.G.Pool, s.WS, c.account, s.Marks[c.at])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, c.want)
		}
	}
	before, _ := AccessAt(ctx, s.G.Pool, s.WS, s.Owner, s.Events[0].Metadata.OccurredAt)
	if before.Member {
		t.Errorf("the owner is a member before the workspace exists: %+v", before)
	}
	owner, _ := AccessAt(ctx, s.G.Pool, s.WS, s.Owner, s.Marks["end"])
	if owner.Role != domain.RoleAdmin || s.Alice == uuid.Nil {
		t.Errorf("after the transfer the old owner is %s, want admin", owner.Role)
	}
}
