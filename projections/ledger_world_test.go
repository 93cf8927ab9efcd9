package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// ledgerWorld makes up the events of one workspace as the domain would append them, for
// the tests of the members, licenses and activity read models. Events are collected and
// applied later, in batches of a chosen size, to the given's projection and to extra
// projections installed in the same database (the activity log reads the members'
// accounts).
type ledgerWorld struct {
	g      *given
	ws     uuid.UUID
	owner  uuid.UUID
	events []Envelope
	extra  map[Projection]string // projection -> schema
}

// newLedgerWorld registers the owner and creates a workspace with seats.
func newLedgerWorld(g *given, seats int, extra ...Projection) *ledgerWorld {
	w := &ledgerWorld{g: g, ws: uuid.New(), extra: map[Projection]string{}}
	for _, p := range extra {
		schema, err := InstallForTest(context.Background(), g.pool, p)
		if err != nil {
			g.t.Fatal(err)
		}
		w.extra[p] = schema
	}
	w.owner = w.register("Olivia", "Owner", "olivia@example.com", "olivia")
	w.add(w.g.by(w.owner).event(domain.WorkspaceStream(w.ws), domain.WorkspaceCreated{WorkspaceID: w.ws, Name: "Lab", Seats: seats, OwnerAccountID: w.owner}))
	return w
}

// add records an event and moves the clock on by a minute.
func (w *ledgerWorld) add(e Envelope) Envelope {
	w.events = append(w.events, e)
	w.g.now = w.g.now.Add(time.Minute)
	return e
}

// later moves the clock on.
func (w *ledgerWorld) later(d time.Duration) { w.g.now = w.g.now.Add(d) }

// register registers an account, by the system, as InviteUser does for a new email.
func (w *ledgerWorld) register(first, last, email, login string) uuid.UUID {
	id := uuid.New()
	w.g.actor = "system"
	w.add(w.g.event(domain.AccountStream(id), domain.AccountRegistered{AccountID: id, Email: email, Login: login, FirstName: first, LastName: last}))
	return id
}

// account appends an account event by the account itself.
func (w *ledgerWorld) account(id uuid.UUID, e domain.Event) Envelope {
	return w.add(w.g.by(id).event(domain.AccountStream(id), e))
}

// roster appends a workspace-stream event by the owner.
func (w *ledgerWorld) roster(e domain.Event) Envelope {
	return w.add(w.g.by(w.owner).event(domain.WorkspaceStream(w.ws), e))
}

// self appends a workspace-stream event by the account it concerns.
func (w *ledgerWorld) self(id uuid.UUID, e domain.Event) Envelope {
	return w.add(w.g.by(id).event(domain.WorkspaceStream(w.ws), e))
}

// access appends a member-stream event by the owner.
func (w *ledgerWorld) access(id uuid.UUID, e domain.Event) Envelope {
	return w.add(w.g.by(w.owner).event(domain.MemberStream(w.ws, id), e))
}

// invite registers an account as first.last@example.com and invites it with role.
func (w *ledgerWorld) invite(first, last string, role domain.WorkspaceRole) uuid.UUID {
	return w.inviteAs(first, last, fmt.Sprintf("%s.%s@example.com", ledgerLower(first), ledgerLower(last)), ledgerLower(first), role)
}

// inviteAs registers an account with email and login and invites it with role.
func (w *ledgerWorld) inviteAs(first, last, email, login string, role domain.WorkspaceRole) uuid.UUID {
	id := w.register(first, last, email, login)
	w.roster(domain.MemberInvited{AccountID: id, Role: role, TokenHash: domain.HashToken("t-" + id.String()), ExpiresAt: w.g.now.Add(domain.DefaultInvitationTTL)})
	return id
}

// join invites an account and has it accept.
func (w *ledgerWorld) join(first, last string, role domain.WorkspaceRole) uuid.UUID {
	id := w.invite(first, last, role)
	w.self(id, domain.InvitationAccepted{AccountID: id})
	return id
}

func ledgerLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// apply applies the recorded events in batches of size (0: one batch) to every projection.
func (w *ledgerWorld) apply(size int) {
	w.g.t.Helper()
	w.g.apply(size, w.events...)
	for p, schema := range w.extra {
		ledgerApply(w.g, p, schema, size, w.events)
	}
}

// replayInto applies the recorded events, in batches of size, to fresh copies of the
// projections in a new database, and answers its given.
func (w *ledgerWorld) replayInto(t *testing.T, size int) *given {
	t.Helper()
	other := newGiven(t, w.g.p)
	for p := range w.extra {
		schema, err := InstallForTest(context.Background(), other.pool, p)
		if err != nil {
			t.Fatal(err)
		}
		ledgerApply(other, p, schema, size, w.events)
	}
	other.apply(size, w.events...)
	return other
}

func ledgerApply(g *given, p Projection, schema string, size int, events []Envelope) {
	g.t.Helper()
	if size < 0 {
		bulkApply(g, p, schema, -size, events)
		return
	}
	if size == 0 {
		size = len(events)
	}
	for start := 0; start < len(events); start += size {
		end := min(start+size, len(events))
		if err := ApplyForTest(context.Background(), g.pool, p, schema, events[start:end]); err != nil {
			g.t.Fatalf("apply %s events %d..%d: %v", p.Name(), start, end-1, err)
		}
	}
}

// ledgerSameTables fails unless the projection's tables hold the same rows in both.
func ledgerSameTables(t *testing.T, p Projection, a, b *given) {
	t.Helper()
	for _, table := range p.Tables() {
		want, got := ledgerRows(t, a, table), ledgerRows(t, b, table)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("table %s differs:\n got %v\nwant %v", table, got, want)
		}
		if len(want) == 0 {
			t.Errorf("table %s is empty: the story does not exercise it", table)
		}
	}
}

func ledgerRows(t *testing.T, g *given, table string) []string {
	t.Helper()
	rows, err := g.pool.Query(context.Background(), "SELECT to_jsonb(x)::text FROM "+Qualified(ReadSchema, table)+" x")
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

// ledgerStory is a workspace's life over several days touching every event type the
// three read models handle. It answers the accounts by name.
func ledgerStory(w *ledgerWorld) map[string]uuid.UUID {
	p1, p2, cat, visa, acme := uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New()
	w.roster(domain.ModuleSet{Module: "booking", Enabled: true, MinRole: domain.RoleMember})
	w.roster(domain.ProjectCreated{ProjectID: p1, Name: "Apollo"})
	w.roster(domain.ProjectCreated{ProjectID: p2, Name: "Gemini"})
	w.roster(domain.BookingCategoryDefined{CategoryID: cat, Name: "Microscopes"})
	w.roster(domain.VisaDefined{VisaID: visa, Name: "Level 2"})
	w.roster(domain.ClientRegistered{ClientID: acme, Name: "Acme"})
	ada := w.join("Ada", "Lovelace", domain.RoleAdmin)
	bob := w.join("Bob", "Builder", domain.RoleMember)
	w.access(bob, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: bob, ProjectID: p1, Role: domain.ProjectContributor})
	w.access(bob, domain.ClientLinked{WorkspaceID: w.ws, AccountID: bob, ClientID: acme})
	until := w.g.now.Add(30 * 24 * time.Hour)
	w.access(bob, domain.VisaGranted{WorkspaceID: w.ws, AccountID: bob, CategoryID: cat, VisaID: visa, ValidUntil: &until})
	cyd := w.invite("Cyd", "Charisse", domain.RoleViewer)
	w.roster(domain.InvitationResent{AccountID: cyd, TokenHash: domain.HashToken("again"), ExpiresAt: w.g.now.Add(48 * time.Hour)})
	w.later(24 * time.Hour)
	dan := w.register("Dan", "Dare", "dan@example.com", "")
	w.self(dan, domain.AccessRequested{AccountID: dan})
	w.roster(domain.AccessApproved{AccountID: dan, Role: domain.RoleManager})
	w.access(dan, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: dan, ProjectID: p2, Role: domain.ProjectAdmin})
	eve := w.register("Eve", "Evans", "eve@example.com", "eve")
	w.self(eve, domain.AccessRequested{AccountID: eve})
	w.roster(domain.AccessRejected{AccountID: eve})
	w.access(eve, domain.GrantsCleared{WorkspaceID: w.ws, AccountID: eve})
	fay := w.invite("Fay", "Wray", domain.RoleMember)
	w.access(fay, domain.ClientLinked{WorkspaceID: w.ws, AccountID: fay, ClientID: acme})
	w.roster(domain.InvitationRevoked{AccountID: fay})
	w.access(fay, domain.GrantsCleared{WorkspaceID: w.ws, AccountID: fay})
	w.roster(domain.RoleChanged{AccountID: bob, From: domain.RoleMember, To: domain.RoleManager})
	w.roster(domain.WelcomeEmailSent{AccountID: bob})
	w.account(bob, domain.ProfileChanged{AccountID: bob, FirstName: "Robert", LastName: "Builder", Phone: "+4915112345678"})
	w.account(ada, domain.EmailChanged{AccountID: ada, OldEmail: "ada.lovelace@example.com", NewEmail: "ada@engines.example"})
	w.later(24 * time.Hour)
	w.add(w.g.by(ada).event(domain.WorkspaceStream(w.ws), domain.MemberSuspended{AccountID: bob, Reason: "unpaid invoice", Until: &until}))
	w.roster(domain.MemberReinstated{AccountID: bob})
	w.roster(domain.LicenseDeactivated{AccountID: dan})
	w.roster(domain.LicenseReactivated{AccountID: dan})
	w.roster(domain.MemberSuspended{AccountID: dan, Reason: "audit"})
	w.roster(domain.PlanChanged{Seats: 8})
	w.access(bob, domain.PermissionsCopied{WorkspaceID: w.ws, AccountID: bob, FromAccountID: dan,
		ProjectRoles: map[uuid.UUID]domain.ProjectRole{p2: domain.ProjectViewer}, Grant: []string{"reports.view"}, Scopes: map[string]domain.ScopeLevel{"company:acme": domain.ScopeRead}})
	w.access(bob, domain.PermissionsSet{WorkspaceID: w.ws, AccountID: bob, Grant: []string{"reports.export"}, Deny: []string{"billing.view"}})
	w.access(bob, domain.ScopeSet{WorkspaceID: w.ws, AccountID: bob, Scope: "company:acme", Level: domain.ScopeWrite})
	w.access(bob, domain.SecuritySettingsSet{WorkspaceID: w.ws, AccountID: bob, MFAEveryLogin: true})
	w.access(bob, domain.ContractInfoSet{WorkspaceID: w.ws, AccountID: bob, Reference: "C-17", Convention: "standard"})
	w.access(bob, domain.ClientUnlinked{WorkspaceID: w.ws, AccountID: bob, ClientID: acme})
	w.access(bob, domain.VisaRevoked{WorkspaceID: w.ws, AccountID: bob, CategoryID: cat})
	w.access(ada, domain.VisaGranted{WorkspaceID: w.ws, AccountID: ada, CategoryID: cat, VisaID: visa})
	w.access(ada, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: ada, ProjectID: p1, Role: domain.ProjectAdmin})
	w.access(ada, domain.ProjectRoleRemoved{WorkspaceID: w.ws, AccountID: ada, ProjectID: p1})
	w.access(ada, domain.ClientLinked{WorkspaceID: w.ws, AccountID: ada, ClientID: acme})
	w.roster(domain.OwnershipTransferred{From: w.owner, To: ada})
	w.later(3 * 24 * time.Hour)
	w.roster(domain.MemberDeleted{AccountID: cyd, PreviousStatus: domain.StatusInvited, DeletedAt: w.g.now})
	w.roster(domain.MemberRestored{AccountID: cyd, Status: domain.StatusInvited})
	w.roster(domain.MemberDeleted{AccountID: dan, PreviousStatus: domain.StatusSuspended, DeletedAt: w.g.now})
	gil := w.join("Gil", "Grissom", domain.RoleAuditor)
	w.access(gil, domain.VisaGranted{WorkspaceID: w.ws, AccountID: gil, CategoryID: cat, VisaID: visa, ValidUntil: &until})
	w.later(31 * 24 * time.Hour)
	w.g.actor = "system"
	w.add(w.g.event(domain.MemberStream(w.ws, gil), domain.VisaExpired{WorkspaceID: w.ws, AccountID: gil, CategoryID: cat}))
	w.roster(domain.MemberDeleted{AccountID: gil, PreviousStatus: domain.StatusActive, DeletedAt: w.g.now})
	w.later(31 * 24 * time.Hour)
	w.g.actor = "system"
	w.add(w.g.event(domain.WorkspaceStream(w.ws), domain.MemberPurged{AccountID: gil}))
	w.roster(domain.WorkspaceRenamed{Name: "Lab North"})
	w.roster(domain.ProjectArchived{ProjectID: p2})
	w.roster(domain.BookingCategoryRetired{CategoryID: cat})
	w.roster(domain.VisaRetired{VisaID: visa})
	w.roster(domain.ClientRetired{ClientID: acme})
	return map[string]uuid.UUID{"olivia": w.owner, "ada": ada, "bob": bob, "cyd": cyd, "dan": dan, "eve": eve, "fay": fay, "gil": gil,
		"p1": p1, "p2": p2, "cat": cat, "visa": visa, "acme": acme}
}

// ledgerJSON answers v as JSON, for comparing query results in failure messages.
func ledgerJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
