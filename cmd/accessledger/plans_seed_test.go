package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
)

// planSizes are how much TestHotPathPlans seeds: enough that every table that grows
// with the log, the members, the grants or the tokens holds planSizes.minRows rows, and
// that the tables with a row per workspace span many pages, as in production, where no
// planner would scan them.
type planSizes struct {
	members    int // of the big workspaces together, each with an account stream
	big        int // big workspaces, of members/big members each
	granted    int // members of the first big workspace with grants, each in a member stream
	grantsEach int // visas, client links, project roles and scopes of each granted member, and projects, categories, clients
	workspaces int // small workspaces beside the big ones, each with its catalog
	minRows    int // what the growing tables must hold
}

var (
	fullPlanSizes = planSizes{members: 100_000, big: 4, granted: 2_000, grantsEach: 50, workspaces: 4_000, minRows: 100_000}
	// shortPlanSizes are about the smallest on which the planner still picks the plans
	// it picks on fullPlanSizes: below, some tables fit in so few pages that scanning
	// them is cheapest (at 1,000 workspaces, licenses_workspaces already is; at 5,000
	// grants, the grant tables are).
	shortPlanSizes = planSizes{members: 10_000, big: 1, granted: 400, grantsEach: 25, workspaces: 2_000, minRows: 10_000}
)

// planWorld is what the seeding made: the first big workspace, which the workload acts
// on, its catalog and its members.
type planWorld struct {
	ws, owner                     uuid.UUID
	members                       []uuid.UUID // active, with an account stream; the first `granted` hold grants
	projects, categories, clients []uuid.UUID
	visa                          uuid.UUID
}

// planSeeder makes the events of the seeding: real domain events with metadata, one second
// apart, as the commands would have written them.
type planSeeder struct {
	tb  testing.TB
	now time.Time
}

func (s *planSeeder) event(actor uuid.UUID, payload domain.Event) eventstore.EventData {
	data, err := json.Marshal(payload)
	if err != nil {
		s.tb.Fatal(err)
	}
	s.now = s.now.Add(time.Second)
	id := uuid.New()
	return eventstore.EventData{Type: payload.EventType(), Data: data, Metadata: eventstore.Metadata{
		CommandID: id, CorrelationID: id, CausationID: id, Actor: actor.String(), OccurredAt: s.now}}
}

// seedPlanWorld appends the whole world of TestHotPathPlans to store: the big
// workspaces of seedWorkspace, the catalog and module of the first, grants of its first
// members, security settings of every member, and the small workspaces; then it issues
// an API token to every member of the big workspaces. The members are spread over a few
// big workspaces rather than one, as tenants are: the workload's first command folds the
// whole roster stream of the first, which the race detector makes slow.
func seedPlanWorld(tb testing.TB, store *postgres.Store, pool *pgxpool.Pool, size planSizes) planWorld {
	tb.Helper()
	var w planWorld
	w.ws, w.owner, w.members = seedWorkspace(tb, store, size.members/size.big)
	planSeedTokens(tb, pool, w.ws, w.members)
	// The owners of the small workspaces and the people they invite: members the workload
	// leaves alone, neither granted nor among the last, whom it acts on.
	spare := w.members[size.granted : len(w.members)-planWorkloadMembers]
	// The members without grants, who get their security settings alone.
	ungranted := make([]planMembership, 0, size.members-size.granted)
	for _, m := range w.members[size.granted:] {
		ungranted = append(ungranted, planMembership{ws: w.ws, owner: w.owner, account: m})
	}
	for range size.big - 1 {
		ws, owner, members := seedWorkspace(tb, store, size.members/size.big)
		planSeedTokens(tb, pool, ws, members)
		spare = append(spare, members...)
		for _, m := range members {
			ungranted = append(ungranted, planMembership{ws: ws, owner: owner, account: m})
		}
	}
	s := &planSeeder{tb: tb, now: time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)}
	planSeedCatalog(tb, store, s, &w, size.grantsEach)
	planSeedGrants(tb, store, s, w, size)
	planSeedSecurity(tb, store, s, ungranted)
	owners, invitees := make([]uuid.UUID, size.workspaces), make([]uuid.UUID, size.workspaces)
	for i := range owners {
		owners[i], invitees[i] = spare[i%len(spare)], spare[(size.workspaces+i)%len(spare)]
	}
	planSeedSmallWorkspaces(tb, store, owners, invitees)
	return w
}

// planSeedCatalog defines, in the big workspace, a project, a booking category and a client
// per grant of a member, one visa, and enables the booking module for members.
func planSeedCatalog(tb testing.TB, store *postgres.Store, s *planSeeder, w *planWorld, n int) {
	tb.Helper()
	events := []eventstore.EventData{s.event(w.owner, domain.ModuleSet{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleMember})}
	w.visa = uuid.New()
	events = append(events, s.event(w.owner, domain.VisaDefined{VisaID: w.visa, Name: "Autonomous"}))
	for i := range n {
		p, c, k := uuid.New(), uuid.New(), uuid.New()
		w.projects, w.categories, w.clients = append(w.projects, p), append(w.categories, c), append(w.clients, k)
		events = append(events,
			s.event(w.owner, domain.ProjectCreated{ProjectID: p, Name: fmt.Sprintf("Project %d", i)}),
			s.event(w.owner, domain.BookingCategoryDefined{CategoryID: c, Name: fmt.Sprintf("Category %d", i)}),
			s.event(w.owner, domain.ClientRegistered{ClientID: k, Name: fmt.Sprintf("Client %d", i)}))
	}
	// seedWorkspace wrote the creation and an invitation and acceptance per member.
	version := int64(1 + 2*len(w.members))
	if _, err := store.Append(context.Background(), domain.WorkspaceStream(w.ws), eventstore.Exact(version), events...); err != nil {
		tb.Fatal(err)
	}
}

// planSeedGrants gives each of the first size.granted members of the big workspace a
// visa on each category, valid until a year or so after the test runs (so that the
// scheduler expires none of them), and a link to each client, one member stream append
// per member. The first member gets a role in each project, permission overrides and a
// level on size.grantsEach scopes, and the others copy its permissions, as an admin
// setting up a team does: one event sets all of a member's project roles, overrides and
// scopes. Each also gets security settings, as every seeded member does.
func planSeedGrants(tb testing.TB, store *postgres.Store, s *planSeeder, w planWorld, size planSizes) {
	tb.Helper()
	roles := map[uuid.UUID]domain.ProjectRole{}
	for _, p := range w.projects {
		roles[p] = domain.ProjectContributor
	}
	grant, deny := []string{"reports.export"}, []string{"invoices.pay"}
	scopes := map[string]domain.ScopeLevel{}
	for j := range size.grantsEach {
		scopes[planScope(j)] = []domain.ScopeLevel{domain.ScopeRead, domain.ScopeWrite}[j%2]
	}
	// Whole seconds, as the API takes them.
	until := time.Now().UTC().Truncate(time.Second).AddDate(1, 0, 0)
	first := w.members[0]
	batches := make([][]eventstore.EventData, size.granted)
	for i, m := range w.members[:size.granted] {
		for j := range size.grantsEach {
			end := until.Add(time.Duration(j)*24*time.Hour + time.Duration(i)*time.Minute)
			batches[i] = append(batches[i],
				s.event(w.owner, domain.VisaGranted{WorkspaceID: w.ws, AccountID: m, CategoryID: w.categories[j], VisaID: w.visa, ValidUntil: &end}),
				s.event(w.owner, domain.ClientLinked{WorkspaceID: w.ws, AccountID: m, ClientID: w.clients[j]}))
			if i == 0 {
				batches[i] = append(batches[i],
					s.event(w.owner, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: m, ProjectID: w.projects[j], Role: domain.ProjectContributor}),
					s.event(w.owner, domain.ScopeSet{WorkspaceID: w.ws, AccountID: m, Scope: planScope(j), Level: scopes[planScope(j)]}))
			}
		}
		if i == 0 {
			batches[i] = append(batches[i], s.event(w.owner, domain.PermissionsSet{WorkspaceID: w.ws, AccountID: m, Grant: grant, Deny: deny}))
		} else {
			batches[i] = append(batches[i], s.event(w.owner, domain.PermissionsCopied{WorkspaceID: w.ws, AccountID: m,
				FromAccountID: first, ProjectRoles: roles, Grant: grant, Deny: deny, Scopes: scopes}))
		}
		batches[i] = append(batches[i], s.event(w.owner, planSecurity(w.ws, m, i)))
	}
	planAppendAll(tb, len(batches), func(ctx context.Context, i int) error {
		_, err := store.Append(ctx, domain.MemberStream(w.ws, w.members[i]), eventstore.NoStream(), batches[i]...)
		return err
	})
}

// planScope names the j-th scope of the granted members.
func planScope(j int) string { return fmt.Sprintf("folder:f%03d", j) }

// planMembership is a member of a big workspace, and the workspace's owner.
type planMembership struct{ ws, owner, account uuid.UUID }

// planSeedSecurity gives each of members, who hold no grant, security settings, as an
// admin applying the company's login rules to everyone does: a member stream of one
// event each. The settings differ from those the workload sets, which then change them.
func planSeedSecurity(tb testing.TB, store *postgres.Store, s *planSeeder, members []planMembership) {
	tb.Helper()
	events := make([]eventstore.EventData, len(members))
	for i, m := range members {
		events[i] = s.event(m.owner, planSecurity(m.ws, m.account, i))
	}
	planAppendAll(tb, len(members), func(ctx context.Context, i int) error {
		_, err := store.Append(ctx, domain.MemberStream(members[i].ws, members[i].account), eventstore.NoStream(), events[i])
		return err
	})
}

// planSecurity answers the security settings the seeding gives member account of ws; i
// varies the inactivity rule.
func planSecurity(ws, account uuid.UUID, i int) domain.SecuritySettingsSet {
	return domain.SecuritySettingsSet{WorkspaceID: ws, AccountID: account, MFAAfterInactivityDays: 30 + i%3*30,
		BlockAfterInactivityDays: 180, PasswordMaxAgeDays: 365}
}

// planSmallClients are the clients of each small workspace: the clients' names are a
// table of their own, which grows with the clients of every workspace.
const planSmallClients = 3

// planSeedSmallWorkspaces creates a workspace for each of owners, people who are members
// of a big workspace too, with a project, a booking category, a visa and
// planSmallClients clients, the booking module on and a retired category: the tables
// with a row per workspace or catalog item then span many pages. Each owner has invited
// the invitee of the same index, another member of a big workspace, a little before the
// test runs: the invitation is pending, and the due work spans the workspaces.
func planSeedSmallWorkspaces(tb testing.TB, store *postgres.Store, owners, invitees []uuid.UUID) {
	tb.Helper()
	s := &planSeeder{tb: tb, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	invites := &planSeeder{tb: tb, now: time.Now().UTC().Truncate(time.Second).Add(-2 * time.Hour)}
	streams := make([]string, len(owners))
	rosters := make([][]eventstore.EventData, len(owners))
	for i, owner := range owners {
		ws, retired := uuid.New(), uuid.New()
		streams[i] = domain.WorkspaceStream(ws)
		rosters[i] = []eventstore.EventData{
			s.event(owner, domain.WorkspaceCreated{WorkspaceID: ws, Name: fmt.Sprintf("Small %d", i), Seats: 5, OwnerAccountID: owner}),
			s.event(owner, domain.ModuleSet{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleMember}),
			s.event(owner, domain.ProjectCreated{ProjectID: uuid.New(), Name: "Project"}),
			s.event(owner, domain.BookingCategoryDefined{CategoryID: uuid.New(), Name: "Category"}),
			s.event(owner, domain.BookingCategoryDefined{CategoryID: retired, Name: "Old category"}),
			s.event(owner, domain.BookingCategoryRetired{CategoryID: retired}),
			s.event(owner, domain.VisaDefined{VisaID: uuid.New(), Name: "Visa"}),
			s.event(owner, domain.SpendScopeDefined{Scope: "provider:aws", Name: "AWS"}),
			s.event(owner, domain.SpendScopeDefined{Scope: "cloud_account:a-1", Parent: "provider:aws", Name: "Prod"}),
			s.event(owner, domain.SpendScopeDefined{Scope: "subscription:s-1", Parent: "cloud_account:a-1", Name: "Web"}),
		}
		for j := range planSmallClients {
			rosters[i] = append(rosters[i], s.event(owner, domain.ClientRegistered{ClientID: uuid.New(), Name: fmt.Sprintf("Client %d", j)}))
		}
		rosters[i] = append(rosters[i], invites.event(owner, domain.MemberInvited{AccountID: invitees[i], Role: domain.RoleMember,
			TokenHash: domain.HashToken(ws.String() + invitees[i].String()), ExpiresAt: invites.now.Add(domain.DefaultInvitationTTL)}))
	}
	planAppendAll(tb, len(owners), func(ctx context.Context, i int) error {
		_, err := store.Append(ctx, streams[i], eventstore.NoStream(), rosters[i]...)
		return err
	})
}

// planSeedTokens issues an API token to every member of workspace ws, as accepting an
// invitation does: rows of api_tokens, written in one statement since the table is not
// derived from the log.
func planSeedTokens(tb testing.TB, pool *pgxpool.Pool, ws uuid.UUID, members []uuid.UUID) {
	tb.Helper()
	_, err := pool.Exec(context.Background(), `/* plans-test */ INSERT INTO api_tokens (id, hash, account_id, name, workspace_id, created_at)
		SELECT gen_random_uuid(), encode(sha256(uuid_send(gen_random_uuid())), 'hex'), a, 'invitation', $2, now() - interval '1 day'
		FROM unnest($1::uuid[]) AS a`, members, ws)
	if err != nil {
		tb.Fatalf("seed api tokens: %v", err)
	}
}

// planAppendAll runs append(i) for i in [0, n) on a few connections at once.
func planAppendAll(tb testing.TB, n int, append func(ctx context.Context, i int) error) {
	tb.Helper()
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(8)
	for i := range n {
		g.Go(func() error { return append(ctx, i) })
	}
	if err := g.Wait(); err != nil {
		tb.Fatal(err)
	}
}
