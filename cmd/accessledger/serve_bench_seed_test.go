package main

// The log of BenchmarkServe: whole workspaces of real domain events, appended straight
// to the store in the order the domain would have appended them.

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
)

const (
	// seedWorkers append workspaces side by side, each its own workspaces' chunks in order.
	seedWorkers = 8
	// seedEventsPerMember is about how many events a story writes per member (6.8).
	seedEventsPerMember = 7
	// seedEventsPerWorkspace sizes the workspaces: 200 of about 700 members in a million events.
	seedEventsPerWorkspace = 5000
	// measuredWorkspaces are the workspaces the mix acts in: the first ones seeded.
	measuredWorkspaces = 8
	maxWorkspaces      = 500
)

// seedChunk is consecutive events of one stream, appended together after version from.
type seedChunk struct {
	stream string
	from   int64
	events []eventstore.EventData
}

// seedStory is the made-up history of one workspace: its accounts, configuration,
// roster, grants and later changes, as chunks in the order they are appended.
type seedStory struct {
	ws       *benchWorkspace
	chunks   []seedChunk
	versions map[string]int64
	now      time.Time
	events   int
}

// appendSeedLog appends stories until the log holds at least target events, with
// seedWorkers goroutines, and answers the measured workspaces and the events appended.
// Workspaces are target/seedEventsPerWorkspace, at least measuredWorkspaces.
func appendSeedLog(b *testing.B, store *postgres.Store, target int) (measured []*benchWorkspace, events int) {
	b.Helper()
	count := min(max(target/seedEventsPerWorkspace, measuredWorkspaces), maxWorkspaces)
	size := max(target/count/seedEventsPerMember, 1)
	g, ctx := errgroup.WithContext(context.Background())
	todo := make(chan *seedStory, seedWorkers)
	for range seedWorkers {
		g.Go(func() error {
			for s := range todo {
				if err := s.append(ctx, store); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for events < target && ctx.Err() == nil {
		s := newSeedStory(min(size, (target-events)/seedEventsPerMember+1), len(measured) < measuredWorkspaces)
		events += s.events
		if s.ws.members != nil {
			measured = append(measured, s.ws)
		}
		select {
		case todo <- s:
		case <-ctx.Done():
		}
	}
	close(todo)
	if err := g.Wait(); err != nil {
		b.Fatalf("seed the log: %v", err)
	}
	return measured, events
}

// append appends the story's chunks in order.
func (s *seedStory) append(ctx context.Context, store *postgres.Store) error {
	for _, c := range s.chunks {
		if _, err := store.Append(ctx, c.stream, eventstore.Exact(c.from), c.events...); err != nil {
			return fmt.Errorf("workspace %s: %w", s.ws.id, err)
		}
	}
	return nil
}

// add records an event by actor (an account id, or "system"), a minute after the last,
// onto the last chunk when it is of the same stream and not full.
func (s *seedStory) add(stream, actor string, payload domain.Event) {
	data, _ := json.Marshal(payload) // plain structs: cannot fail
	s.now = s.now.Add(time.Minute)
	command := uuid.New()
	e := eventstore.EventData{Type: payload.EventType(), Data: data, Metadata: eventstore.Metadata{
		CommandID: command, CorrelationID: command, CausationID: command, Actor: actor, OccurredAt: s.now}}
	if last := len(s.chunks) - 1; last >= 0 && s.chunks[last].stream == stream && len(s.chunks[last].events) < eventstore.MaxEventsPerAppend {
		s.chunks[last].events = append(s.chunks[last].events, e)
	} else {
		s.chunks = append(s.chunks, seedChunk{stream: stream, from: s.versions[stream], events: []eventstore.EventData{e}})
	}
	s.versions[stream]++
	s.events++
}

// newSeedStory makes a workspace of n members, in phases that keep the domain's
// causality across streams: the accounts, then the configuration and the roster (large
// appends to the workspace stream), then the members' grants, then deactivations,
// suspensions and profile changes. With keep, it keeps what the mix needs to know.
func newSeedStory(n int, keep bool) *seedStory {
	s := &seedStory{ws: &benchWorkspace{id: uuid.New(), owner: uuid.New()}, versions: map[string]int64{},
		now: time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)}
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = uuid.New()
	}
	s.account(s.ws.owner, "system", "Olive", "Owner")
	for i, id := range ids {
		s.account(id, s.ws.owner.String(), seedFirstNames[i%len(seedFirstNames)], fmt.Sprintf("Lee-%d", i))
	}
	s.configure(n)
	for i, id := range ids {
		s.join(i, id)
	}
	for i, id := range ids {
		s.grant(i, id)
	}
	for i, id := range ids {
		s.live(i, id)
	}
	if keep {
		s.keepMembers(ids)
	}
	return s
}

var seedFirstNames = []string{"Ada", "Bram", "Chloé", "Dmitri", "Esther", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kenji", "Lena"}

// seedEmail is the email of a seeded account: unique, so that the member list's text
// filter finds the one member.
func seedEmail(id uuid.UUID) string { return id.String() + "@seed.example" }

// account claims the account's email and registers it.
func (s *seedStory) account(id uuid.UUID, actor, first, last string) {
	email := seedEmail(id)
	s.add(domain.EmailClaimStream(email), actor, domain.Claimed{AccountID: id})
	s.add(domain.AccountStream(id), actor, domain.AccountRegistered{AccountID: id, Email: email, FirstName: first, LastName: last})
}

// configure creates the workspace, with seats well above its members so that the mix's
// invitations and reactivations always find one, and defines its catalog.
func (s *seedStory) configure(n int) {
	w, stream, owner := s.ws, domain.WorkspaceStream(s.ws.id), s.ws.owner.String()
	s.add(stream, "system", domain.WorkspaceCreated{WorkspaceID: w.id, Name: "Seed " + w.id.String()[:8], Seats: 2*n + 5000, OwnerAccountID: w.owner})
	s.add(stream, owner, domain.ModuleSet{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleMember})
	for i := range 4 {
		w.projects = append(w.projects, uuid.New())
		w.categories = append(w.categories, uuid.New())
		s.add(stream, owner, domain.ProjectCreated{ProjectID: w.projects[i], Name: fmt.Sprint("Project ", i)})
		s.add(stream, owner, domain.BookingCategoryDefined{CategoryID: w.categories[i], Name: fmt.Sprint("Category ", i)})
	}
	for i := range 3 {
		w.visas = append(w.visas, uuid.New())
		s.add(stream, owner, domain.VisaDefined{VisaID: w.visas[i], Name: fmt.Sprint("Visa ", i)})
	}
	for i := range 2 {
		s.add(stream, owner, domain.ClientRegistered{ClientID: seedClient(w.id, i), Name: fmt.Sprint("Client ", i)})
	}
}

// seedClient derives the id of a workspace's i-th client account.
func seedClient(ws uuid.UUID, i int) uuid.UUID {
	return uuid.NewSHA1(ws, []byte(fmt.Sprint("client", i)))
}

// seedJoined reports whether member i joined: all but one in 25, whose invitation stays
// pending.
func seedJoined(i int) bool { return i%40 == 7 || i%25 != 3 }

// seedRole is member i's role after joining.
func seedRole(i int) domain.WorkspaceRole {
	switch {
	case i%20 == 4:
		return domain.RoleAdmin
	case i%10 == 1:
		return domain.RoleViewer
	case i%10 == 2:
		return domain.RoleManager
	}
	return domain.RoleMember
}

// seedDeactivated reports whether member i ends deactivated: one in 24 (one in 12 is
// deactivated, half of them reactivated).
func seedDeactivated(i int) bool { return i%12 == 5 && i%24 != 5 }

// join brings member i onto the roster: invited (some invitations resent, some left
// pending) or asking access, then made active and given its role.
func (s *seedStory) join(i int, id uuid.UUID) {
	stream, owner, self := domain.WorkspaceStream(s.ws.id), s.ws.owner.String(), id.String()
	if i%40 == 7 {
		s.add(stream, self, domain.AccessRequested{AccountID: id})
		s.add(stream, owner, domain.AccessApproved{AccountID: id, Role: domain.RoleMember})
	} else {
		s.add(stream, owner, domain.MemberInvited{AccountID: id, Role: domain.RoleMember, TokenHash: domain.HashToken(self), ExpiresAt: s.now.Add(7 * 24 * time.Hour)})
		if i%7 == 3 {
			s.add(stream, owner, domain.InvitationResent{AccountID: id, TokenHash: domain.HashToken(self + "2"), ExpiresAt: s.now.Add(7 * 24 * time.Hour)})
		}
		if !seedJoined(i) {
			return
		}
		s.add(stream, self, domain.InvitationAccepted{AccountID: id})
		s.add(stream, "system", domain.WelcomeEmailSent{AccountID: id})
	}
	if role := seedRole(i); role != domain.RoleMember {
		s.add(stream, owner, domain.RoleChanged{AccountID: id, From: domain.RoleMember, To: role})
	}
}

// grant gives joined member i its project role, visa, client link and overrides.
func (s *seedStory) grant(i int, id uuid.UUID) {
	if !seedJoined(i) {
		return
	}
	w, owner := s.ws, s.ws.owner.String()
	stream := domain.MemberStream(w.id, id)
	if i%3 == 0 {
		s.add(stream, owner, domain.ProjectRoleAssigned{WorkspaceID: w.id, AccountID: id, ProjectID: w.projects[i%4], Role: domain.ProjectContributor})
	}
	if i%2 == 0 {
		s.add(stream, owner, domain.VisaGranted{WorkspaceID: w.id, AccountID: id, CategoryID: w.categories[i%4], VisaID: w.visas[i%3]})
	}
	if i%5 == 0 {
		s.add(stream, owner, domain.ClientLinked{WorkspaceID: w.id, AccountID: id, ClientID: seedClient(w.id, i%2)})
	}
	if i%9 == 0 {
		s.add(stream, owner, domain.PermissionsSet{WorkspaceID: w.id, AccountID: id, Grant: []string{"reports.export"}, Deny: []string{"billing.invoices"}})
	}
	if i%16 == 0 {
		s.add(stream, owner, domain.VisaRevoked{WorkspaceID: w.id, AccountID: id, CategoryID: w.categories[i%4]})
	}
}

// live plays what happens to joined member i later: deactivations (half of them
// undone), suspensions lifted, profile changes.
func (s *seedStory) live(i int, id uuid.UUID) {
	if !seedJoined(i) {
		return
	}
	stream, owner := domain.WorkspaceStream(s.ws.id), s.ws.owner.String()
	if i%12 == 5 {
		s.add(stream, owner, domain.LicenseDeactivated{AccountID: id})
		if !seedDeactivated(i) {
			s.add(stream, owner, domain.LicenseReactivated{AccountID: id})
		}
	}
	if i%30 == 11 {
		s.add(stream, owner, domain.MemberSuspended{AccountID: id, Reason: "audit"})
		s.add(stream, owner, domain.MemberReinstated{AccountID: id})
	}
	if i%10 == 6 {
		s.add(domain.AccountStream(id), id.String(), domain.ProfileChanged{AccountID: id, FirstName: "Anna", LastName: fmt.Sprintf("Lee-%d", i), Phone: "+33 1 23 45 67 89"})
	}
}

// keepMembers records the members the mix may act on: active, below admin, with the
// visas the story left them.
func (s *seedStory) keepMembers(ids []uuid.UUID) {
	w := s.ws
	w.members = []*benchMember{}
	for i, id := range ids {
		role := seedRole(i)
		if !seedJoined(i) || seedDeactivated(i) || role == domain.RoleAdmin {
			continue
		}
		m := &benchMember{id: id, email: seedEmail(id), role: role, active: true, visas: map[uuid.UUID]uuid.UUID{}}
		if i%2 == 0 && i%16 != 0 {
			m.visas[w.categories[i%4]] = w.visas[i%3]
		}
		w.members = append(w.members, m)
	}
}
