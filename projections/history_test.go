package projections

import (
	"context"
	"reflect"
	"testing"

	"github.com/google/uuid"

	"accessledger/domain"
)

func TestHistorySameTablesWhateverTheBatchSize(t *testing.T) {
	t.Parallel()
	s := newAuthzScenario(newGiven(t, History{}))
	s.apply(1)
	ctx := context.Background()
	members := []uuid.UUID{s.owner, s.alice, s.bob, s.carol, s.dave, s.erin, s.frank, s.gina}
	for _, size := range []int{0, 7, -3} {
		other := s.replayInto(t, size)
		authzSameTables(t, s.g, other, "id")
		for name, at := range s.marks {
			for _, m := range members {
				want, err := AccessAt(ctx, s.g.pool, s.ws, m, at)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := AccessAt(ctx, other.pool, s.ws, m, at)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("size %d, %s at %s: %+v, one by one %+v", size, m, name, got, want)
				}
			}
			for _, c := range []uuid.UUID{s.microscopes, s.lasers} {
				want, _ := BookersAt(ctx, s.g.pool, s.ws, c, at)
				got, _ := BookersAt(ctx, other.pool, s.ws, c, at)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("size %d, bookers of %s at %s: %+v, one by one %+v", size, c, name, got, want)
				}
			}
		}
		for _, m := range members {
			want, _ := MemberHistory(ctx, s.g.pool, s.ws, m, HistoryFilter{Limit: HistoryMaxLimit})
			got, _ := MemberHistory(ctx, other.pool, s.ws, m, HistoryFilter{Limit: HistoryMaxLimit})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("size %d, history of %s: %+v, one by one %+v", size, m, got, want)
			}
		}
	}
}

func TestAccessAt(t *testing.T) {
	t.Parallel()
	s := newAuthzScenario(newGiven(t, History{}))
	s.apply(0)
	ctx := context.Background()
	security := &domain.SecuritySettings{MFAEveryLogin: true, PasswordMaxAgeDays: 90}
	modules := map[string]domain.WorkspaceRole{"users": domain.RoleAdmin, "booking": domain.RoleMember, "reports": domain.RoleManager}
	base := func(m uuid.UUID, at string) MemberAccessAt {
		return MemberAccessAt{WorkspaceID: s.ws, AccountID: m, At: s.marks[at], Projects: map[uuid.UUID]ProjectRoleAt{},
			Visas: map[uuid.UUID]VisaAt{}, Clients: []uuid.UUID{}, Grant: []string{}, Deny: []string{},
			Scopes: map[string]domain.ScopeLevel{}, Modules: modules}
	}
	bobGranted := base(s.bob, "granted")
	bobGranted.Member, bobGranted.Status, bobGranted.Role, bobGranted.HoldsSeat = true, domain.StatusActive, domain.RoleMember, true
	bobGranted.Projects = map[uuid.UUID]ProjectRoleAt{s.apollo: {Role: domain.ProjectContributor}, s.gemini: {Role: domain.ProjectAdmin}}
	bobGranted.Visas = map[uuid.UUID]VisaAt{s.microscopes: {VisaID: s.basic, Bookable: true}, s.lasers: {VisaID: s.basic, Bookable: true}}
	bobGranted.Clients = []uuid.UUID{s.acme}
	bobGranted.Grant = []string{"billing.invoices", "reports.export"}
	bobGranted.Scopes = map[string]domain.ScopeLevel{"company:acme": domain.ScopeWrite, "folder:q3": domain.ScopeRead}
	bobGranted.Security = security

	bobEnd := bobGranted
	bobEnd.At = s.marks["end"]
	bobEnd.Modules = map[string]domain.WorkspaceRole{"users": domain.RoleAdmin, "booking": domain.RoleManager}
	bobEnd.Projects = map[uuid.UUID]ProjectRoleAt{s.apollo: {Role: domain.ProjectContributor}, s.gemini: {Role: domain.ProjectAdmin, Archived: true}}
	bobEnd.Visas = map[uuid.UUID]VisaAt{s.microscopes: {VisaID: s.basic}} // booking now needs a manager
	bobEnd.Grant, bobEnd.Deny = []string{"reports.export"}, []string{"admin.audit"}
	bobEnd.Scopes = map[string]domain.ScopeLevel{"company:acme": domain.ScopeWrite}

	carolSuspended := base(s.carol, "suspended")
	carolSuspended.Member, carolSuspended.Status, carolSuspended.Role, carolSuspended.HoldsSeat = true, domain.StatusSuspended, domain.RoleMember, true
	carolSuspended.Visas = map[uuid.UUID]VisaAt{s.microscopes: {VisaID: s.basic}}
	carolSuspended.Clients = []uuid.UUID{s.initech}

	erinEnd := base(s.erin, "end")
	erinEnd.Modules = bobEnd.Modules
	erinEnd.Member, erinEnd.Status, erinEnd.Role = true, domain.StatusPurged, domain.RoleMember // purged keeps its frozen grants
	erinEnd.Projects = map[uuid.UUID]ProjectRoleAt{s.apollo: {Role: domain.ProjectContributor}, s.gemini: {Role: domain.ProjectAdmin, Archived: true}}
	until := s.marks["erin_until"]
	erinEnd.Visas = map[uuid.UUID]VisaAt{s.microscopes: {VisaID: s.expert, ValidUntil: &until}} // valid still, but not bookable
	erinEnd.Grant = []string{"billing.invoices", "reports.export"}
	erinEnd.Scopes = map[string]domain.ScopeLevel{"company:acme": domain.ScopeWrite, "folder:q3": domain.ScopeRead}

	davePending := base(s.dave, "roster")
	davePending.Member, davePending.Status, davePending.Role, davePending.HoldsSeat = true, domain.StatusActive, domain.RoleManager, true

	for name, c := range map[string]struct {
		account uuid.UUID
		at      string
		want    MemberAccessAt
	}{
		"bob when granted": {s.bob, "granted", bobGranted},
		"bob at the end":   {s.bob, "end", bobEnd},
		"carol suspended":  {s.carol, "suspended", carolSuspended},
		"erin purged":      {s.erin, "end", erinEnd},
		"dave approved":    {s.dave, "roster", davePending},
		"gina revoked":     {s.gina, "roster", base(s.gina, "roster")},
		"frank rejected":   {s.frank, "end", func() MemberAccessAt { a := base(s.frank, "end"); a.Modules = bobEnd.Modules; return a }()},
	} {
		got, err := AccessAt(ctx, s.g.pool, s.ws, c.account, s.marks[c.at])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, c.want)
		}
	}
	before, _ := AccessAt(ctx, s.g.pool, s.ws, s.owner, s.events[0].Metadata.OccurredAt)
	if before.Member {
		t.Errorf("the owner is a member before the workspace exists: %+v", before)
	}
	owner, _ := AccessAt(ctx, s.g.pool, s.ws, s.owner, s.marks["end"])
	if owner.Role != domain.RoleAdmin || s.alice == uuid.Nil {
		t.Errorf("after the transfer the old owner is %s, want admin", owner.Role)
	}
}
