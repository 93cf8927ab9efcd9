package projections

import (
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// authzScenario is a workspace's history that uses every event type the authorization
// read models handle, with the ids the tests query. Its events interleave the workspace
// stream and several member streams, so that a batch holds every kind of change.
type authzScenario struct {
	*authzWorld
	alice, bob, carol, dave, erin uuid.UUID // members
	frank, gina                   uuid.UUID // a rejected request, a revoked invitation
	microscopes, lasers           uuid.UUID // booking categories
	basic, expert                 uuid.UUID // visas
	apollo, gemini                uuid.UUID // projects
	acme, initech                 uuid.UUID // clients
	marks                         map[string]time.Time
}

// newAuthzScenario writes the scenario's events (not applied yet).
func newAuthzScenario(g *given) *authzScenario {
	s := &authzScenario{authzWorld: newAuthzWorld(g), marks: map[string]time.Time{}}
	s.catalog()
	s.roster()
	s.grants()
	s.changes()
	s.lifecycle()
	return s
}

func (s *authzScenario) mark(name string) { s.marks[name] = s.now() }

func (s *authzScenario) catalog() {
	s.module(domain.ModuleBooking, true, domain.RoleMember)
	s.module("reports", true, domain.RoleManager)
	s.microscopes, s.lasers = s.category("Microscopes"), s.category("Lasers")
	s.basic, s.expert = s.visa("Basic"), s.visa("Expert")
	s.apollo, s.gemini = s.project("Apollo"), s.project("Gemini")
	s.acme, s.initech = s.client("Acme"), s.client("Initech")
}

func (s *authzScenario) roster() {
	s.alice, s.bob, s.carol = s.join(domain.RoleAdmin), s.join(domain.RoleMember), s.join(domain.RoleViewer)
	s.dave = uuid.New()
	s.account(s.dave)
	s.g.by(s.dave)
	s.wsEvent(domain.AccessRequested{AccountID: s.dave})
	s.g.by(s.owner)
	s.wsEvent(domain.AccessApproved{AccountID: s.dave, Role: domain.RoleManager})
	s.erin = s.join(domain.RoleMember)
	s.frank = uuid.New()
	s.account(s.frank)
	s.g.by(s.frank)
	s.wsEvent(domain.AccessRequested{AccountID: s.frank})
	s.g.by(s.owner)
	s.wsEvent(domain.AccessRejected{AccountID: s.frank})
	s.gina = uuid.New()
	s.account(s.gina)
	s.wsEvent(domain.MemberInvited{AccountID: s.gina, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: s.now().Add(time.Hour)})
	s.wsEvent(domain.InvitationResent{AccountID: s.gina, TokenHash: "cd", ExpiresAt: s.now().Add(2 * time.Hour)})
	s.access(s.gina, domain.ProjectRoleAssigned{WorkspaceID: s.ws, AccountID: s.gina, ProjectID: s.apollo, Role: domain.ProjectViewer})
	s.wsEvent(domain.InvitationRevoked{AccountID: s.gina})
	s.access(s.gina, domain.GrantsCleared{WorkspaceID: s.ws, AccountID: s.gina})
	s.wsEvent(domain.WelcomeEmailSent{AccountID: s.bob})
	s.mark("roster")
}

func (s *authzScenario) grants() {
	s.grantVisa(s.bob, s.microscopes, s.basic, nil)
	s.grantVisa(s.carol, s.microscopes, s.basic, nil)     // a viewer: below the booking module's role
	s.marks["erin_until"] = s.now().Add(90 * time.Minute) // also a time to query at
	s.grantVisa(s.erin, s.microscopes, s.expert, authzPtr(s.marks["erin_until"]))
	s.grantVisa(s.dave, s.lasers, s.expert, authzPtr(s.now().Add(20*time.Minute)))
	s.grantVisa(s.bob, s.lasers, s.basic, nil)
	s.access(s.bob, domain.ProjectRoleAssigned{WorkspaceID: s.ws, AccountID: s.bob, ProjectID: s.apollo, Role: domain.ProjectContributor})
	s.access(s.bob, domain.ProjectRoleAssigned{WorkspaceID: s.ws, AccountID: s.bob, ProjectID: s.gemini, Role: domain.ProjectAdmin})
	s.access(s.carol, domain.ProjectRoleAssigned{WorkspaceID: s.ws, AccountID: s.carol, ProjectID: s.apollo, Role: domain.ProjectViewer})
	s.access(s.bob, domain.ClientLinked{WorkspaceID: s.ws, AccountID: s.bob, ClientID: s.acme})
	s.access(s.carol, domain.ClientLinked{WorkspaceID: s.ws, AccountID: s.carol, ClientID: s.acme})
	s.access(s.carol, domain.ClientLinked{WorkspaceID: s.ws, AccountID: s.carol, ClientID: s.initech})
	s.access(s.bob, domain.PermissionsSet{WorkspaceID: s.ws, AccountID: s.bob, Grant: []string{"billing.invoices", "reports.export"}, Deny: []string{}})
	s.access(s.alice, domain.PermissionsSet{WorkspaceID: s.ws, AccountID: s.alice, Grant: []string{}, Deny: []string{"billing.invoices"}})
	s.access(s.bob, domain.ScopeSet{WorkspaceID: s.ws, AccountID: s.bob, Scope: "company:acme", Level: domain.ScopeWrite})
	s.access(s.bob, domain.ScopeSet{WorkspaceID: s.ws, AccountID: s.bob, Scope: "folder:q3", Level: domain.ScopeRead})
	s.access(s.bob, domain.SecuritySettingsSet{WorkspaceID: s.ws, AccountID: s.bob, MFAEveryLogin: true, PasswordMaxAgeDays: 90})
	s.access(s.bob, domain.ContractInfoSet{WorkspaceID: s.ws, AccountID: s.bob, Reference: "C-1", Convention: "2026"})
	s.mark("granted")
}

func (s *authzScenario) changes() {
	s.wsEvent(domain.RoleChanged{AccountID: s.carol, From: domain.RoleViewer, To: domain.RoleMember})
	s.access(s.erin, domain.PermissionsCopied{WorkspaceID: s.ws, AccountID: s.erin, FromAccountID: s.bob,
		ProjectRoles: map[uuid.UUID]domain.ProjectRole{s.apollo: domain.ProjectContributor, s.gemini: domain.ProjectAdmin},
		Grant:        []string{"billing.invoices", "reports.export"}, Deny: []string{},
		Scopes: map[string]domain.ScopeLevel{"company:acme": domain.ScopeWrite, "folder:q3": domain.ScopeRead}})
	s.access(s.bob, domain.ScopeSet{WorkspaceID: s.ws, AccountID: s.bob, Scope: "folder:q3", Level: domain.ScopeNone})
	s.access(s.bob, domain.PermissionsSet{WorkspaceID: s.ws, AccountID: s.bob, Grant: []string{"reports.export"}, Deny: []string{"admin.audit"}})
	s.access(s.carol, domain.ClientUnlinked{WorkspaceID: s.ws, AccountID: s.carol, ClientID: s.acme})
	s.access(s.carol, domain.ProjectRoleRemoved{WorkspaceID: s.ws, AccountID: s.carol, ProjectID: s.apollo})
	s.access(s.bob, domain.VisaRevoked{WorkspaceID: s.ws, AccountID: s.bob, CategoryID: s.lasers})
	s.step = 30 * time.Minute // past dave's valid_until: expire it late, at the next step
	s.g.actor = "system"
	s.access(s.dave, domain.VisaExpired{WorkspaceID: s.ws, AccountID: s.dave, CategoryID: s.lasers})
	s.g.by(s.owner)
	s.step = time.Minute
	s.mark("changed")
	s.wsEvent(domain.ProjectArchived{ProjectID: s.gemini})
	s.wsEvent(domain.VisaRetired{VisaID: s.expert})
	s.mark("retired")
}

func (s *authzScenario) lifecycle() {
	s.wsEvent(domain.MemberSuspended{AccountID: s.carol, Reason: "review"})
	s.mark("suspended")
	s.wsEvent(domain.MemberReinstated{AccountID: s.carol})
	s.wsEvent(domain.LicenseDeactivated{AccountID: s.erin})
	s.wsEvent(domain.LicenseReactivated{AccountID: s.erin})
	s.wsEvent(domain.MemberDeleted{AccountID: s.dave, PreviousStatus: domain.StatusActive, DeletedAt: s.now()})
	s.wsEvent(domain.MemberRestored{AccountID: s.dave, Status: domain.StatusActive})
	s.wsEvent(domain.MemberDeleted{AccountID: s.erin, PreviousStatus: domain.StatusActive, DeletedAt: s.now()})
	s.g.actor = "system"
	s.wsEvent(domain.MemberPurged{AccountID: s.erin})
	s.g.by(s.owner)
	s.wsEvent(domain.OwnershipTransferred{From: s.owner, To: s.alice})
	s.g.by(s.alice)
	s.wsEvent(domain.ClientRetired{ClientID: s.initech})
	s.module(domain.ModuleBooking, true, domain.RoleManager)
	s.mark("booking_managers")
	s.module("reports", false, domain.RoleManager)
	s.wsEvent(domain.BookingCategoryRetired{CategoryID: s.lasers})
	s.wsEvent(domain.WorkspaceRenamed{Name: "Lab 2"})
	s.wsEvent(domain.PlanChanged{Seats: 60})
	s.mark("end")
}
