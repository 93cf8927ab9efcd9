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
	grantsEach int // visas, client links and project roles of each granted member, and projects, categories, clients
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
// members, and the small workspaces; then it issues an API token to every member of the
// big workspaces. The members are spread over a few big workspaces rather than one, as
// tenants are: the workload's first command folds the whole roster stream of the first,
// which the race detector makes slow.
func seedPlanWorld(tb testing.TB, store *postgres.Store, pool *pgxpool.Pool, size planSizes) planWorld {
	tb.Helper()
	var w planWorld
	w.ws, w.owner, w.members = seedWorkspace(tb, store, size.members/size.big)
	planSeedTokens(tb, pool, w.ws, w.members)
	// The owners of the small workspaces: members the workload leaves alone, neither
	// granted nor among the last, whom it acts on.
	spare := w.members[size.granted : len(w.members)-planWorkloadMembers]
	for range size.big - 1 {
		ws, _, members := seedWorkspace(tb, store, size.members/size.big)
		planSeedTokens(tb, pool, ws, members)
		spare = append(spare, members...)
	}
	s := &planSeeder{tb: tb, now: time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)}
	planSeedCatalog(tb, store, s, &w, size.grantsEach)
	planSeedGrants(tb, store, s, w, size)
	owners := make([]uuid.UUID, size.workspaces)
	for i := range owners {
		owners[i] = spare[i%len(spare)]
	}
	planSeedSmallWorkspaces(tb, store, owners)
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
// visa on each category and a link to each client, one member stream append per member.
// The first member gets a role in each project, and the others copy its permissions, as
// an admin setting up a team does: one event sets all of a member's project roles.
func planSeedGrants(tb testing.TB, store *postgres.Store, s *planSeeder, w planWorld, size planSizes) {
	tb.Helper()
	roles := map[uuid.UUID]domain.ProjectRole{}
	for _, p := range w.projects {
		roles[p] = domain.ProjectContributor
	}
	first := w.members[0]
	batches := make([][]eventstore.EventData, size.granted)
	for i, m := range w.members[:size.granted] {
		for j := range size.grantsEach {
			batches[i] = append(batches[i],
				s.event(w.owner, domain.VisaGranted{WorkspaceID: w.ws, AccountID: m, CategoryID: w.categories[j], VisaID: w.visa}),
				s.event(w.owner, domain.ClientLinked{WorkspaceID: w.ws, AccountID: m, ClientID: w.clients[j]}))
			if i == 0 {
				batches[i] = append(batches[i], s.event(w.owner, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: m,
					ProjectID: w.projects[j], Role: domain.ProjectContributor}))
			}
		}
		if i > 0 {
			batches[i] = append(batches[i], s.event(w.owner, domain.PermissionsCopied{WorkspaceID: w.ws, AccountID: m,
				FromAccountID: first, ProjectRoles: roles, Grant: []string{}, Deny: []string{}, Scopes: map[string]domain.ScopeLevel{}}))
		}
	}
	planAppendAll(tb, len(batches), func(ctx context.Context, i int) error {
		_, err := store.Append(ctx, domain.MemberStream(w.ws, w.members[i]), eventstore.NoStream(), batches[i]...)
		return err
	})
}

// planSmallClients are the clients of each small workspace: the clients' names are a
// table of their own, which grows with the clients of every workspace.
const planSmallClients = 3

// planSeedSmallWorkspaces creates a workspace for each of owners, people who are members
// of a big workspace too, with a project, a booking category, a visa and
// planSmallClients clients, the booking module on and a retired category: the tables
// with a row per workspace or catalog item then span many pages.
func planSeedSmallWorkspaces(tb testing.TB, store *postgres.Store, owners []uuid.UUID) {
	tb.Helper()
	s := &planSeeder{tb: tb, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
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
		}
		for j := range planSmallClients {
			rosters[i] = append(rosters[i], s.event(owner, domain.ClientRegistered{ClientID: uuid.New(), Name: fmt.Sprintf("Client %d", j)}))
		}
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
