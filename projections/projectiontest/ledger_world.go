package projectiontest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
)

// LedgerWorld makes up the events of one workspace as the domain would append them, for
// the tests of the members, licenses and activity read models. Events are collected and
// applied later, in batches of a chosen size, to the given's projection and to extra
// projections installed in the same database (the activity log reads the members'
// accounts).
type LedgerWorld struct {
	G      *Given
	WS     uuid.UUID
	Owner  uuid.UUID
	Events []projections.Envelope
	Extra  map[projections.Projection]string // projection -> schema
}

// NewLedgerWorld registers the owner and creates a workspace with seats.
func NewLedgerWorld(g *Given, seats int, extra ...projections.Projection) *LedgerWorld {
	w := &LedgerWorld{G: g, WS: uuid.New(), Extra: map[projections.Projection]string{}}
	for _, p := range extra {
		schema, err := projections.InstallForTest(context.Background(), g.Pool, p)
		if err != nil {
			g.T.Fatal(err)
		}
		w.Extra[p] = schema
	}
	w.Owner = w.Register("Olivia", "Owner", "olivia@example.com", "olivia")
	w.Add(w.G.By(w.Owner).Event(domain.WorkspaceStream(w.WS), domain.WorkspaceCreated{WorkspaceID: w.WS, Name: "Lab", Seats: seats, OwnerAccountID: w.Owner}))
	return w
}

// Add records an event and moves the clock on by a minute.
func (w *LedgerWorld) Add(e projections.Envelope) projections.Envelope {
	w.Events = append(w.Events, e)
	w.G.Now = w.G.Now.Add(time.Minute)
	return e
}

// Later moves the clock on.
func (w *LedgerWorld) Later(d time.Duration) { w.G.Now = w.G.Now.Add(d) }

// Register registers an account, by the system, as InviteUser does for a new email.
func (w *LedgerWorld) Register(first, last, email, login string) uuid.UUID {
	id := uuid.New()
	w.G.Actor = "system"
	w.Add(w.G.Event(domain.AccountStream(id), domain.AccountRegistered{AccountID: id, Email: email, Login: login, FirstName: first, LastName: last}))
	return id
}

// Account appends an account event by the account itself.
func (w *LedgerWorld) Account(id uuid.UUID, e domain.Event) projections.Envelope {
	return w.Add(w.G.By(id).Event(domain.AccountStream(id), e))
}

// Roster appends a workspace-stream event by the owner.
func (w *LedgerWorld) Roster(e domain.Event) projections.Envelope {
	return w.Add(w.G.By(w.Owner).Event(domain.WorkspaceStream(w.WS), e))
}

// Self appends a workspace-stream event by the account it concerns.
func (w *LedgerWorld) Self(id uuid.UUID, e domain.Event) projections.Envelope {
	return w.Add(w.G.By(id).Event(domain.WorkspaceStream(w.WS), e))
}

// Access appends a member-stream event by the owner.
func (w *LedgerWorld) Access(id uuid.UUID, e domain.Event) projections.Envelope {
	return w.Add(w.G.By(w.Owner).Event(domain.MemberStream(w.WS, id), e))
}

// Invite registers an account as first.last@example.com and invites it with role.
func (w *LedgerWorld) Invite(first, last string, role domain.WorkspaceRole) uuid.UUID {
	return w.InviteAs(first, last, fmt.Sprintf("%s.%s@example.com", strings.ToLower(first), strings.ToLower(last)), strings.ToLower(first), role)
}

// InviteAs registers an account with email and login and invites it with role.
func (w *LedgerWorld) InviteAs(first, last, email, login string, role domain.WorkspaceRole) uuid.UUID {
	id := w.Register(first, last, email, login)
	w.Roster(domain.MemberInvited{AccountID: id, Role: role, TokenHash: domain.HashToken("t-" + id.String()), ExpiresAt: w.G.Now.Add(domain.DefaultInvitationTTL)})
	return id
}

// Join invites an account and has it accept.
func (w *LedgerWorld) Join(first, last string, role domain.WorkspaceRole) uuid.UUID {
	id := w.Invite(first, last, role)
	w.Self(id, domain.InvitationAccepted{AccountID: id})
	return id
}

// Apply applies the recorded events in batches of size (0: one batch) to every projection.
func (w *LedgerWorld) Apply(size int) {
	w.G.T.Helper()
	w.G.Apply(size, w.Events...)
	for p, schema := range w.Extra {
		LedgerApply(w.G, p, schema, size, w.Events)
	}
}

// ReplayInto applies the recorded events, in batches of size, to fresh copies of the
// projections in a new database, and answers its given.
func (w *LedgerWorld) ReplayInto(t *testing.T, size int) *Given {
	t.Helper()
	other := NewGiven(t, w.G.P)
	for p := range w.Extra {
		schema, err := projections.InstallForTest(context.Background(), other.Pool, p)
		if err != nil {
			t.Fatal(err)
		}
		LedgerApply(other, p, schema, size, w.Events)
	}
	other.Apply(size, w.Events...)
	return other
}

// LedgerApply applies events to p's tables in schema, in batches of size.
func LedgerApply(g *Given, p projections.Projection, schema string, size int, events []projections.Envelope) {
	g.T.Helper()
	if size < 0 {
		BulkApply(g, p, schema, -size, events)
		return
	}
	if size == 0 {
		size = len(events)
	}
	for start := 0; start < len(events); start += size {
		end := min(start+size, len(events))
		if err := projections.ApplyForTest(context.Background(), g.Pool, p, schema, events[start:end]); err != nil {
			g.T.Fatalf("apply %s events %d..%d: %v", p.Name(), start, end-1, err)
		}
	}
}

// Rows answers every row of table in g's database, each as text, sorted: a comparable
// picture of the table.
func Rows(t *testing.T, g *Given, table string) []string {
	t.Helper()
	rows, err := g.Pool.Query(context.Background(), "SELECT to_jsonb(x)::text FROM "+projections.Qualified(projections.ReadSchema, table)+" x")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// Story is a workspace's life over several days touching every event type the
// three read models handle. It answers the accounts by name.
func Story(w *LedgerWorld) map[string]uuid.UUID {
	p1, p2, cat, visa, acme := uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New()
	w.Roster(domain.ModuleSet{Module: "booking", Enabled: true, MinRole: domain.RoleMember})
	w.Roster(domain.ProjectCreated{ProjectID: p1, Name: "Apollo"})
	w.Roster(domain.ProjectCreated{ProjectID: p2, Name: "Gemini"})
	w.Roster(domain.BookingCategoryDefined{CategoryID: cat, Name: "Microscopes"})
	w.Roster(domain.VisaDefined{VisaID: visa, Name: "Level 2"})
	w.Roster(domain.ClientRegistered{ClientID: acme, Name: "Acme"})
	ada := w.Join("Ada", "Lovelace", domain.RoleAdmin)
	bob := w.Join("Bob", "Builder", domain.RoleMember)
	w.Access(bob, domain.ProjectRoleAssigned{WorkspaceID: w.WS, AccountID: bob, ProjectID: p1, Role: domain.ProjectContributor})
	w.Access(bob, domain.ClientLinked{WorkspaceID: w.WS, AccountID: bob, ClientID: acme})
	until := w.G.Now.Add(30 * 24 * time.Hour)
	w.Access(bob, domain.VisaGranted{WorkspaceID: w.WS, AccountID: bob, CategoryID: cat, VisaID: visa, ValidUntil: &until})
	cyd := w.Invite("Cyd", "Charisse", domain.RoleViewer)
	w.Roster(domain.InvitationResent{AccountID: cyd, TokenHash: domain.HashToken("again"), ExpiresAt: w.G.Now.Add(48 * time.Hour)})
	w.Later(24 * time.Hour)
	dan := w.Register("Dan", "Dare", "dan@example.com", "")
	w.Self(dan, domain.AccessRequested{AccountID: dan})
	w.Roster(domain.AccessApproved{AccountID: dan, Role: domain.RoleManager})
	w.Access(dan, domain.ProjectRoleAssigned{WorkspaceID: w.WS, AccountID: dan, ProjectID: p2, Role: domain.ProjectAdmin})
	eve := w.Register("Eve", "Evans", "eve@example.com", "eve")
	w.Self(eve, domain.AccessRequested{AccountID: eve})
	w.Roster(domain.AccessRejected{AccountID: eve})
	w.Access(eve, domain.GrantsCleared{WorkspaceID: w.WS, AccountID: eve})
	fay := w.Invite("Fay", "Wray", domain.RoleMember)
	w.Access(fay, domain.ClientLinked{WorkspaceID: w.WS, AccountID: fay, ClientID: acme})
	w.Roster(domain.InvitationRevoked{AccountID: fay})
	w.Access(fay, domain.GrantsCleared{WorkspaceID: w.WS, AccountID: fay})
	w.Roster(domain.RoleChanged{AccountID: bob, From: domain.RoleMember, To: domain.RoleManager})
	w.Roster(domain.WelcomeEmailSent{AccountID: bob})
	w.Account(bob, domain.ProfileChanged{AccountID: bob, FirstName: "Robert", LastName: "Builder", Phone: "+4915112345678"})
	w.Account(ada, domain.EmailChanged{AccountID: ada, OldEmail: "ada.lovelace@example.com", NewEmail: "ada@engines.example"})
	w.Later(24 * time.Hour)
	w.Add(w.G.By(ada).Event(domain.WorkspaceStream(w.WS), domain.MemberSuspended{AccountID: bob, Reason: "unpaid invoice", Until: &until}))
	w.Roster(domain.MemberReinstated{AccountID: bob})
	w.Roster(domain.LicenseDeactivated{AccountID: dan})
	w.Roster(domain.LicenseReactivated{AccountID: dan})
	w.Roster(domain.MemberSuspended{AccountID: dan, Reason: "audit"})
	w.Roster(domain.PlanChanged{Seats: 8})
	w.Access(bob, domain.PermissionsCopied{WorkspaceID: w.WS, AccountID: bob, FromAccountID: dan,
		ProjectRoles: map[uuid.UUID]domain.ProjectRole{p2: domain.ProjectViewer}, Grant: []string{"reports.view"}, Scopes: map[string]domain.ScopeLevel{"company:acme": domain.ScopeRead}})
	w.Access(bob, domain.PermissionsSet{WorkspaceID: w.WS, AccountID: bob, Grant: []string{"reports.export"}, Deny: []string{"billing.view"}})
	w.Access(bob, domain.ScopeSet{WorkspaceID: w.WS, AccountID: bob, Scope: "company:acme", Level: domain.ScopeWrite})
	w.Access(bob, domain.SecuritySettingsSet{WorkspaceID: w.WS, AccountID: bob, MFAEveryLogin: true})
	w.Access(bob, domain.ContractInfoSet{WorkspaceID: w.WS, AccountID: bob, Reference: "C-17", Convention: "standard"})
	w.Access(bob, domain.ClientUnlinked{WorkspaceID: w.WS, AccountID: bob, ClientID: acme})
	w.Access(bob, domain.VisaRevoked{WorkspaceID: w.WS, AccountID: bob, CategoryID: cat})
	w.Access(ada, domain.VisaGranted{WorkspaceID: w.WS, AccountID: ada, CategoryID: cat, VisaID: visa})
	w.Access(ada, domain.ProjectRoleAssigned{WorkspaceID: w.WS, AccountID: ada, ProjectID: p1, Role: domain.ProjectAdmin})
	w.Access(ada, domain.ProjectRoleRemoved{WorkspaceID: w.WS, AccountID: ada, ProjectID: p1})
	w.Access(ada, domain.ClientLinked{WorkspaceID: w.WS, AccountID: ada, ClientID: acme})
	w.Roster(domain.OwnershipTransferred{From: w.Owner, To: ada})
	w.Later(3 * 24 * time.Hour)
	w.Roster(domain.MemberDeleted{AccountID: cyd, PreviousStatus: domain.StatusInvited, DeletedAt: w.G.Now})
	w.Roster(domain.MemberRestored{AccountID: cyd, Status: domain.StatusInvited})
	w.Roster(domain.MemberDeleted{AccountID: dan, PreviousStatus: domain.StatusSuspended, DeletedAt: w.G.Now})
	gil := w.Join("Gil", "Grissom", domain.RoleAuditor)
	w.Access(gil, domain.VisaGranted{WorkspaceID: w.WS, AccountID: gil, CategoryID: cat, VisaID: visa, ValidUntil: &until})
	w.Later(31 * 24 * time.Hour)
	w.G.Actor = "system"
	w.Add(w.G.Event(domain.MemberStream(w.WS, gil), domain.VisaExpired{WorkspaceID: w.WS, AccountID: gil, CategoryID: cat}))
	w.Roster(domain.MemberDeleted{AccountID: gil, PreviousStatus: domain.StatusActive, DeletedAt: w.G.Now})
	w.Later(31 * 24 * time.Hour)
	w.G.Actor = "system"
	w.Add(w.G.Event(domain.WorkspaceStream(w.WS), domain.MemberPurged{AccountID: gil}))
	w.Roster(domain.WorkspaceRenamed{Name: "Lab North"})
	w.Roster(domain.ProjectArchived{ProjectID: p2})
	w.Roster(domain.BookingCategoryRetired{CategoryID: cat})
	w.Roster(domain.VisaRetired{VisaID: visa})
	w.Roster(domain.ClientRetired{ClientID: acme})
	return map[string]uuid.UUID{"olivia": w.Owner, "ada": ada, "bob": bob, "cyd": cyd, "dan": dan, "eve": eve, "fay": fay, "gil": gil,
		"p1": p1, "p2": p2, "cat": cat, "visa": visa, "acme": acme}
}

// JSON answers v as JSON, for comparing query results in failure messages.
func JSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
