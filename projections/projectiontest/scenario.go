package projectiontest

import (
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// Scenario is a workspace's history that uses every event type the authorization
// read models handle, with the ids the tests query. Its events interleave the workspace
// stream and several member streams, so that a batch holds every kind of change.
type Scenario struct {
	*World
	Alice, Bob, Carol, Dave, Erin uuid.UUID // members
	Frank, Gina                   uuid.UUID // a rejected request, a revoked invitation
	Microscopes, Lasers           uuid.UUID // booking categories
	Basic, Expert                 uuid.UUID // visas
	Apollo, Gemini                uuid.UUID // projects
	Acme, Initech                 uuid.UUID // clients
	Marks                         map[string]time.Time
}

// NewScenario writes the scenario's events (not applied yet).
func NewScenario(g *Given) *Scenario {
	s := &Scenario{World: NewWorld(g), Marks: map[string]time.Time{}}
	s.Catalog()
	s.Roster()
	s.Grants()
	s.Changes()
	s.Lifecycle()
	return s
}

// Mark records the current time under name, for as-of reads in the tests.
func (s *Scenario) Mark(name string) { s.Marks[name] = s.Now() }

// Catalog defines the scenario's modules, booking categories, visas, projects and clients.
func (s *Scenario) Catalog() {
	s.Module(domain.ModuleBooking, true, domain.RoleMember)
	s.Module("reports", true, domain.RoleManager)
	s.Microscopes, s.Lasers = s.Category("Microscopes"), s.Category("Lasers")
	s.Basic, s.Expert = s.Visa("Basic"), s.Visa("Expert")
	s.Apollo, s.Gemini = s.Project("Apollo"), s.Project("Gemini")
	s.Acme, s.Initech = s.Client("Acme"), s.Client("Initech")
}

// Roster joins Alice (admin), Bob (member) and Carol (viewer), and registers Dave, who
// never joins.
func (s *Scenario) Roster() {
	s.Alice, s.Bob, s.Carol = s.Join(domain.RoleAdmin), s.Join(domain.RoleMember), s.Join(domain.RoleViewer)
	s.Dave = uuid.New()
	s.Account(s.Dave)
	s.G.By(s.Dave)
	s.WsEvent(domain.AccessRequested{AccountID: s.Dave})
	s.G.By(s.Owner)
	s.WsEvent(domain.AccessApproved{AccountID: s.Dave, Role: domain.RoleManager})
	s.Erin = s.Join(domain.RoleMember)
	s.Frank = uuid.New()
	s.Account(s.Frank)
	s.G.By(s.Frank)
	s.WsEvent(domain.AccessRequested{AccountID: s.Frank})
	s.G.By(s.Owner)
	s.WsEvent(domain.AccessRejected{AccountID: s.Frank})
	s.Gina = uuid.New()
	s.Account(s.Gina)
	s.WsEvent(domain.MemberInvited{AccountID: s.Gina, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: s.Now().Add(time.Hour)})
	s.WsEvent(domain.InvitationResent{AccountID: s.Gina, TokenHash: "cd", ExpiresAt: s.Now().Add(2 * time.Hour)})
	s.Access(s.Gina, domain.ProjectRoleAssigned{WorkspaceID: s.WS, AccountID: s.Gina, ProjectID: s.Apollo, Role: domain.ProjectViewer})
	s.WsEvent(domain.InvitationRevoked{AccountID: s.Gina})
	s.Access(s.Gina, domain.GrantsCleared{WorkspaceID: s.WS, AccountID: s.Gina})
	s.WsEvent(domain.WelcomeEmailSent{AccountID: s.Bob})
	s.Mark("roster")
}

// Grants gives the scenario's visas, project roles and client links.
func (s *Scenario) Grants() {
	s.GrantVisa(s.Bob, s.Microscopes, s.Basic, nil)
	s.GrantVisa(s.Carol, s.Microscopes, s.Basic, nil)     // a viewer: below the booking module's role
	s.Marks["erin_until"] = s.Now().Add(90 * time.Minute) // also a time to query at
	s.GrantVisa(s.Erin, s.Microscopes, s.Expert, Ptr(s.Marks["erin_until"]))
	s.GrantVisa(s.Dave, s.Lasers, s.Expert, Ptr(s.Now().Add(20*time.Minute)))
	s.GrantVisa(s.Bob, s.Lasers, s.Basic, nil)
	s.Access(s.Bob, domain.ProjectRoleAssigned{WorkspaceID: s.WS, AccountID: s.Bob, ProjectID: s.Apollo, Role: domain.ProjectContributor})
	s.Access(s.Bob, domain.ProjectRoleAssigned{WorkspaceID: s.WS, AccountID: s.Bob, ProjectID: s.Gemini, Role: domain.ProjectAdmin})
	s.Access(s.Carol, domain.ProjectRoleAssigned{WorkspaceID: s.WS, AccountID: s.Carol, ProjectID: s.Apollo, Role: domain.ProjectViewer})
	s.Access(s.Bob, domain.ClientLinked{WorkspaceID: s.WS, AccountID: s.Bob, ClientID: s.Acme})
	s.Access(s.Carol, domain.ClientLinked{WorkspaceID: s.WS, AccountID: s.Carol, ClientID: s.Acme})
	s.Access(s.Carol, domain.ClientLinked{WorkspaceID: s.WS, AccountID: s.Carol, ClientID: s.Initech})
	s.Access(s.Bob, domain.PermissionsSet{WorkspaceID: s.WS, AccountID: s.Bob, Grant: []string{"billing.invoices", "reports.export"}, Deny: []string{}})
	s.Access(s.Alice, domain.PermissionsSet{WorkspaceID: s.WS, AccountID: s.Alice, Grant: []string{}, Deny: []string{"billing.invoices"}})
	s.Access(s.Bob, domain.ScopeSet{WorkspaceID: s.WS, AccountID: s.Bob, Scope: "company:acme", Level: domain.ScopeWrite})
	s.Access(s.Bob, domain.ScopeSet{WorkspaceID: s.WS, AccountID: s.Bob, Scope: "folder:q3", Level: domain.ScopeRead})
	s.Access(s.Bob, domain.SecuritySettingsSet{WorkspaceID: s.WS, AccountID: s.Bob, MFAEveryLogin: true, PasswordMaxAgeDays: 90})
	s.Access(s.Bob, domain.ContractInfoSet{WorkspaceID: s.WS, AccountID: s.Bob, Reference: "C-1", Convention: "2026"})
	s.Mark("granted")
}

// Changes changes roles and grants after the first ones.
func (s *Scenario) Changes() {
	s.WsEvent(domain.RoleChanged{AccountID: s.Carol, From: domain.RoleViewer, To: domain.RoleMember})
	s.Access(s.Erin, domain.PermissionsCopied{WorkspaceID: s.WS, AccountID: s.Erin, FromAccountID: s.Bob,
		ProjectRoles: map[uuid.UUID]domain.ProjectRole{s.Apollo: domain.ProjectContributor, s.Gemini: domain.ProjectAdmin},
		Grant:        []string{"billing.invoices", "reports.export"}, Deny: []string{},
		Scopes: map[string]domain.ScopeLevel{"company:acme": domain.ScopeWrite, "folder:q3": domain.ScopeRead}})
	s.Access(s.Bob, domain.ScopeSet{WorkspaceID: s.WS, AccountID: s.Bob, Scope: "folder:q3", Level: domain.ScopeNone})
	s.Access(s.Bob, domain.PermissionsSet{WorkspaceID: s.WS, AccountID: s.Bob, Grant: []string{"reports.export"}, Deny: []string{"admin.audit"}})
	s.Access(s.Carol, domain.ClientUnlinked{WorkspaceID: s.WS, AccountID: s.Carol, ClientID: s.Acme})
	s.Access(s.Carol, domain.ProjectRoleRemoved{WorkspaceID: s.WS, AccountID: s.Carol, ProjectID: s.Apollo})
	s.Access(s.Bob, domain.VisaRevoked{WorkspaceID: s.WS, AccountID: s.Bob, CategoryID: s.Lasers})
	s.Step = 30 * time.Minute // past dave's valid_until: expire it late, at the next step
	s.G.Actor = "system"
	s.Access(s.Dave, domain.VisaExpired{WorkspaceID: s.WS, AccountID: s.Dave, CategoryID: s.Lasers})
	s.G.By(s.Owner)
	s.Step = time.Minute
	s.Mark("changed")
	s.WsEvent(domain.ProjectArchived{ProjectID: s.Gemini})
	s.WsEvent(domain.VisaRetired{VisaID: s.Expert})
	s.Mark("retired")
}

// Lifecycle moves members through suspension, deactivation, deletion, restoration and
// purge, transfers the ownership and retires a client.
func (s *Scenario) Lifecycle() {
	s.WsEvent(domain.MemberSuspended{AccountID: s.Carol, Reason: "review"})
	s.Mark("suspended")
	s.WsEvent(domain.MemberReinstated{AccountID: s.Carol})
	s.WsEvent(domain.LicenseDeactivated{AccountID: s.Erin})
	s.WsEvent(domain.LicenseReactivated{AccountID: s.Erin})
	s.WsEvent(domain.MemberDeleted{AccountID: s.Dave, PreviousStatus: domain.StatusActive, DeletedAt: s.Now()})
	s.WsEvent(domain.MemberRestored{AccountID: s.Dave, Status: domain.StatusActive})
	s.WsEvent(domain.MemberDeleted{AccountID: s.Erin, PreviousStatus: domain.StatusActive, DeletedAt: s.Now()})
	s.G.Actor = "system"
	s.WsEvent(domain.MemberPurged{AccountID: s.Erin})
	s.G.By(s.Owner)
	s.WsEvent(domain.OwnershipTransferred{From: s.Owner, To: s.Alice})
	s.G.By(s.Alice)
	s.WsEvent(domain.ClientRetired{ClientID: s.Initech})
	s.Module(domain.ModuleBooking, true, domain.RoleManager)
	s.Mark("booking_managers")
	s.Module("reports", false, domain.RoleManager)
	s.WsEvent(domain.BookingCategoryRetired{CategoryID: s.Lasers})
	s.WsEvent(domain.WorkspaceRenamed{Name: "Lab 2"})
	s.WsEvent(domain.PlanChanged{Seats: 60})
	s.Mark("end")
}
