package projections_test

// The generated log of BenchmarkRebuild: whole workspaces of realistic events.

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

// appendRebuildLog appends workspaces of realistic events until the log holds at least
// target events, each workspace's chunks in order by one of workers goroutines (so that
// every stream, and every workspace's story, keeps its order), and answers the events
// appended and the member rows they make.
func appendRebuildLog(b testing.TB, store *postgres.Store, target, workers int) (events, members int) {
	b.Helper()
	g, ctx := errgroup.WithContext(context.Background())
	todo := make(chan *rebuildWorkspace, workers)
	for range workers {
		g.Go(func() error {
			for w := range todo {
				for _, c := range w.chunks {
					if _, err := store.Append(ctx, c.stream, eventstore.Exact(c.from), c.events...); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	sizes := []int{8, 30, 120, 500, 2000} // members per workspace, in turn
	for i := 0; events < target && ctx.Err() == nil; i++ {
		w := newRebuildWorkspace(min(sizes[i%len(sizes)], (target-events)/20+1))
		events, members = events+w.events, members+w.members
		select {
		case todo <- w:
		case <-ctx.Done():
		}
	}
	close(todo)
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	return events, members
}

// rebuildChunk is consecutive events of one stream, appended together after version from.
type rebuildChunk struct {
	stream string
	from   int64
	events []eventstore.EventData
}

// rebuildWorkspace is the made-up history of one workspace: its configuration, its
// members' accounts, roster and grants, as chunks in the order the domain appends them.
type rebuildWorkspace struct {
	ws, owner                 uuid.UUID
	projects, cats, visas, cl [3]uuid.UUID
	chunks                    []rebuildChunk
	versions                  map[string]int64
	now                       time.Time
	events, members           int // events made; rows the member list shows at the end
}

// add records an event by actor (an account id, or "system"), a minute after the last.
func (w *rebuildWorkspace) add(stream, actor string, payload domain.Event) {
	data, _ := json.Marshal(payload) // plain structs: cannot fail
	w.now = w.now.Add(time.Minute)
	command := uuid.New()
	e := eventstore.EventData{Type: payload.EventType(), Data: data, Metadata: eventstore.Metadata{
		CommandID: command, CorrelationID: command, CausationID: command, Actor: actor, OccurredAt: w.now}}
	if last := len(w.chunks) - 1; last >= 0 && w.chunks[last].stream == stream && len(w.chunks[last].events) < eventstore.MaxEventsPerAppend {
		w.chunks[last].events = append(w.chunks[last].events, e)
	} else {
		w.chunks = append(w.chunks, rebuildChunk{stream: stream, from: w.versions[stream], events: []eventstore.EventData{e}})
	}
	w.versions[stream]++
	w.events++
}

// newRebuildWorkspace makes a workspace with n members: set up by a platform admin,
// then its members onboard (invited with a project role or asking access, then given a
// visa, a client link, overrides, a scope, settings), then live (role and profile
// changes, suspensions, deactivations, deletions, revoked and expired grants, email
// changes, copied permissions), then the workspace changes plan, name and owner.
func newRebuildWorkspace(n int) *rebuildWorkspace {
	w := &rebuildWorkspace{ws: uuid.New(), owner: uuid.New(), versions: map[string]int64{},
		now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), members: 1}
	owner, wsStream := w.owner.String(), domain.WorkspaceStream(w.ws)
	w.account(w.owner, "system")
	w.add(wsStream, "system", domain.WorkspaceCreated{WorkspaceID: w.ws, Name: "Lab", Seats: n + 10, OwnerAccountID: w.owner})
	w.add(wsStream, owner, domain.ModuleSet{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleMember})
	for i := range 3 {
		w.projects[i], w.cats[i], w.visas[i], w.cl[i] = uuid.New(), uuid.New(), uuid.New(), uuid.New()
		w.add(wsStream, owner, domain.ProjectCreated{ProjectID: w.projects[i], Name: fmt.Sprint("P", i)})
		w.add(wsStream, owner, domain.BookingCategoryDefined{CategoryID: w.cats[i], Name: fmt.Sprint("C", i)})
		w.add(wsStream, owner, domain.VisaDefined{VisaID: w.visas[i], Name: fmt.Sprint("V", i)})
		w.add(wsStream, owner, domain.ClientRegistered{ClientID: w.cl[i], Name: fmt.Sprint("K", i)})
	}
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = uuid.New()
		w.onboard(i, ids[i])
	}
	for i, id := range ids {
		w.live(i, id, ids[max(i-1, 0)])
	}
	w.add(wsStream, owner, domain.PlanChanged{Seats: n + 20})
	w.add(wsStream, owner, domain.WorkspaceRenamed{Name: "Lab " + w.ws.String()[:8]})
	w.add(wsStream, owner, domain.ProjectArchived{ProjectID: w.projects[2]})
	w.add(wsStream, owner, domain.VisaRetired{VisaID: w.visas[2]})
	w.add(wsStream, owner, domain.OwnershipTransferred{From: w.owner, To: ids[0]}) // member 0 is an active admin
	return w
}

// account claims an email for id and registers it.
func (w *rebuildWorkspace) account(id uuid.UUID, actor string) {
	email := id.String() + "@example.com"
	w.add(domain.EmailClaimStream(email), actor, domain.Claimed{AccountID: id})
	w.add(domain.AccountStream(id), actor, domain.AccountRegistered{AccountID: id, Email: email, FirstName: "Ann", LastName: "Lee " + id.String()[:4]})
}

// onboard brings member i in (or not: a rejected request, a revoked invitation).
func (w *rebuildWorkspace) onboard(i int, id uuid.UUID) {
	owner, self, ws, access := w.owner.String(), id.String(), domain.WorkspaceStream(w.ws), domain.MemberStream(w.ws, id)
	w.account(id, owner)
	switch {
	case i%20 == 6 || i%40 == 7: // asks to join
		w.add(ws, self, domain.AccessRequested{AccountID: id})
		if i%40 == 7 {
			w.add(ws, owner, domain.AccessRejected{AccountID: id})
			return
		}
		w.add(ws, owner, domain.AccessApproved{AccountID: id, Role: domain.RoleMember})
	default: // invited with a project role
		w.add(ws, owner, domain.MemberInvited{AccountID: id, Role: domain.RoleMember, TokenHash: domain.HashToken(self), ExpiresAt: w.now.Add(7 * 24 * time.Hour)})
		w.add(access, owner, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: id, ProjectID: w.projects[i%2], Role: domain.ProjectContributor})
		if i%7 == 3 {
			w.add(ws, owner, domain.InvitationResent{AccountID: id, TokenHash: domain.HashToken(self + "2"), ExpiresAt: w.now.Add(7 * 24 * time.Hour)})
		}
		if i%20 == 5 {
			w.add(ws, owner, domain.InvitationRevoked{AccountID: id})
			w.add(access, owner, domain.GrantsCleared{WorkspaceID: w.ws, AccountID: id})
			return
		}
		w.add(ws, self, domain.InvitationAccepted{AccountID: id})
		w.add(ws, "system", domain.WelcomeEmailSent{AccountID: id})
	}
	var until *time.Time // every third visa is for 90 days
	if t := w.now.Add(90 * 24 * time.Hour); i%3 == 0 {
		until = &t
	}
	w.add(access, owner, domain.VisaGranted{WorkspaceID: w.ws, AccountID: id, CategoryID: w.cats[i%3], VisaID: w.visas[i%2], ValidUntil: until})
	w.add(access, owner, domain.ClientLinked{WorkspaceID: w.ws, AccountID: id, ClientID: w.cl[i%3]})
	w.add(access, owner, domain.PermissionsSet{WorkspaceID: w.ws, AccountID: id, Grant: []string{"reports.export"}, Deny: []string{"billing.invoices"}})
	w.add(access, owner, domain.ScopeSet{WorkspaceID: w.ws, AccountID: id, Scope: "company:acme", Level: domain.ScopeRead})
	if i%4 == 1 {
		w.add(access, owner, domain.SecuritySettingsSet{WorkspaceID: w.ws, AccountID: id, MFAEveryLogin: true, PasswordMaxAgeDays: 90})
	}
	if i%5 == 2 {
		w.add(access, owner, domain.ContractInfoSet{WorkspaceID: w.ws, AccountID: id, Reference: "C-" + self[:6], EndsOn: "2027-06-30", Convention: "lab"})
	}
	w.members++
}

// live plays what happens to member i after onboarding; prev is the member before.
func (w *rebuildWorkspace) live(i int, id, prev uuid.UUID) {
	if i%20 == 5 || i%40 == 7 {
		return // never joined
	}
	owner, self, ws, access := w.owner.String(), id.String(), domain.WorkspaceStream(w.ws), domain.MemberStream(w.ws, id)
	to := []domain.WorkspaceRole{domain.RoleAdmin, domain.RoleManager, domain.RoleViewer, domain.RoleAuditor}[min(i, 1+i%3)]
	w.add(ws, owner, domain.RoleChanged{AccountID: id, From: domain.RoleMember, To: to})
	w.add(access, owner, domain.ProjectRoleAssigned{WorkspaceID: w.ws, AccountID: id, ProjectID: w.projects[2], Role: domain.ProjectViewer})
	w.add(domain.AccountStream(id), self, domain.ProfileChanged{AccountID: id, FirstName: "Anna", LastName: "Lee", Phone: "+33 1 23 45 67 89"})
	switch i % 10 {
	case 1:
		w.add(ws, owner, domain.MemberSuspended{AccountID: id, Reason: "audit"})
		w.add(ws, owner, domain.MemberReinstated{AccountID: id})
	case 2:
		w.add(ws, owner, domain.LicenseDeactivated{AccountID: id})
		if i%20 == 2 {
			w.add(ws, owner, domain.LicenseReactivated{AccountID: id})
		}
	case 3:
		w.add(access, owner, domain.VisaRevoked{WorkspaceID: w.ws, AccountID: id, CategoryID: w.cats[i%3]})
		w.add(access, owner, domain.ClientUnlinked{WorkspaceID: w.ws, AccountID: id, ClientID: w.cl[i%3]})
		w.add(access, owner, domain.ProjectRoleRemoved{WorkspaceID: w.ws, AccountID: id, ProjectID: w.projects[i%2]})
	case 4:
		w.add(ws, owner, domain.MemberDeleted{AccountID: id, PreviousStatus: domain.StatusActive, DeletedAt: w.now})
		if i%20 == 4 {
			w.add(ws, owner, domain.MemberRestored{AccountID: id, Status: domain.StatusActive})
		} else {
			w.add(ws, "system", domain.MemberPurged{AccountID: id})
			w.members--
		}
	case 6, 9:
		if i%3 == 0 {
			w.add(access, "system", domain.VisaExpired{WorkspaceID: w.ws, AccountID: id, CategoryID: w.cats[i%3]})
		}
		old, email := self+"@example.com", "new-"+self+"@example.com"
		w.add(domain.EmailClaimStream(email), self, domain.Claimed{AccountID: id})
		w.add(domain.AccountStream(id), self, domain.EmailChanged{AccountID: id, OldEmail: old, NewEmail: email})
		w.add(domain.EmailClaimStream(old), self, domain.ClaimReleased{AccountID: id})
	case 0:
		if i > 0 {
			w.add(access, owner, domain.PermissionsCopied{WorkspaceID: w.ws, AccountID: id, FromAccountID: prev,
				ProjectRoles: map[uuid.UUID]domain.ProjectRole{w.projects[0]: domain.ProjectAdmin}, Grant: []string{"reports.export"},
				Scopes: map[string]domain.ScopeLevel{"company:acme": domain.ScopeWrite}})
		}
	}
}
