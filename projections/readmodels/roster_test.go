package readmodels_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/members"
	"accessledger/projections/projectiontest"
	"accessledger/projections/readmodels"
	"accessledger/projections/roster"
)

// The roster state machine is written twice: domain.Workspace folds it to decide, and the
// read side folds it (roster.Step, and the members and licenses folds) to answer. This
// test holds them together on histories that the domain's own decisions make.

// rosterTables are the read models' tables that keep each member's roster place: the
// table, and whether it keeps the role beside the status.
var rosterTables = map[string]struct {
	table string
	role  bool
}{
	"members":  {members.MembersTable, true},
	"licenses": {"licenses_members", false},
	"access":   {"access_members", true},
	"booking":  {"booking_members", true},
}

// TestReadModelsFoldTheRosterAsTheDomainDoes runs random roster histories through the
// domain's decisions, and compares the status and role of every account in the domain's
// workspace with roster.Step's fold and with the tables of every read model that keeps
// them. An account off the roster, or purged, has no place on the read side.
func TestReadModelsFoldTheRosterAsTheDomainDoes(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Parallel()
			h := newRosterHistory(seed)
			h.run(150)
			for i := range h.events { // roster.Step after every event
				want := domainPlaces(replay(h.events[:i+1]))
				if got := stepPlaces(h.events[:i+1]); !equalPlaces(got, want, true) {
					t.Fatalf("roster.Step after %d events: %v\nthe domain: %v\nhistory: %v", i+1, got, want, h.log[:i+1])
				}
			}
			want := domainPlaces(h.w)
			for _, p := range readmodels.All() {
				spec, ok := rosterTables[p.Name()]
				if !ok {
					continue
				}
				if got := tablePlaces(t, h, p, spec.table); !equalPlaces(got, want, spec.role) {
					t.Fatalf("%s: %v\nthe domain: %v\nhistory: %v", p.Name(), got, want, h.log)
				}
			}
		})
	}
}

// place is a member's status and role; absent from a map means off the roster.
type place struct {
	status domain.MemberStatus
	role   domain.WorkspaceRole
}

func equalPlaces(got, want map[uuid.UUID]place, withRole bool) bool {
	if len(got) != len(want) {
		return false
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok || g.status != w.status || (withRole && g.role != w.role) {
			return false
		}
	}
	return true
}

// rosterHistory is one workspace's random history, decided by the domain.
type rosterHistory struct {
	rng      *rand.Rand
	ws       uuid.UUID
	w        *domain.Workspace
	accounts []uuid.UUID
	now      time.Time
	events   []domain.Event
	log      []string // the decisions that made events, for a failure's message
}

func newRosterHistory(seed uint64) *rosterHistory {
	h := &rosterHistory{rng: rand.New(rand.NewPCG(seed, 42)), ws: uuid.New(), w: &domain.Workspace{},
		now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	for range 6 {
		h.accounts = append(h.accounts, uuid.New())
	}
	owner := uuid.New()
	h.decide("create", domain.Actor{AccountID: owner, PlatformAdmin: true}, func(by domain.Actor) ([]domain.Event, error) {
		return h.w.CreateWorkspace(by, domain.CreateWorkspace{WorkspaceID: h.ws, Name: "Lab", Seats: 4, OwnerAccountID: owner}, h.now)
	})
	return h
}

// decide runs one decision by by and applies the events it answers; a refusal is a step
// that changes nothing.
func (h *rosterHistory) decide(name string, by domain.Actor, decide func(domain.Actor) ([]domain.Event, error)) {
	events, err := decide(by)
	if err != nil {
		return
	}
	for _, e := range events {
		h.w.Apply(e)
		h.events = append(h.events, e)
		h.log = append(h.log, name+":"+e.EventType())
	}
}

// run makes steps random decisions about random accounts, the clock moving on between
// them, now and then past an invitation's expiry or a deletion's restore window.
func (h *rosterHistory) run(steps int) {
	for range steps {
		switch r := h.rng.IntN(20); {
		case r == 0:
			h.now = h.now.Add(domain.DefaultInvitationTTL + time.Hour)
		case r == 1:
			h.now = h.now.Add(domain.RestoreWindow + time.Hour)
		default:
			h.now = h.now.Add(time.Hour)
		}
		h.step(h.accounts[h.rng.IntN(len(h.accounts))])
	}
}

var rosterRoles = []domain.WorkspaceRole{domain.RoleAdmin, domain.RoleManager, domain.RoleMember, domain.RoleViewer, domain.RoleAuditor}

func (h *rosterHistory) step(a uuid.UUID) {
	owner := domain.Actor{AccountID: h.w.Owner()}
	self, system := domain.Actor{AccountID: a}, domain.SystemActor()
	role := rosterRoles[h.rng.IntN(len(rosterRoles))]
	token := domain.HashToken(a.String())
	w, now := h.w, h.now
	decisions := []struct {
		name string
		by   domain.Actor
		do   func(by domain.Actor) ([]domain.Event, error)
	}{
		{"invite", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.InviteUser(by, domain.InviteUser{AccountID: a, Role: role, TokenHash: token}, now)
		}},
		{"accept", self, func(by domain.Actor) ([]domain.Event, error) {
			return w.AcceptInvitation(by, domain.AcceptInvitation{AccountID: a, TokenHash: token}, now)
		}},
		{"revoke", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.RevokeInvitation(by, domain.RevokeInvitation{AccountID: a}, now)
		}},
		{"expire", system, func(by domain.Actor) ([]domain.Event, error) {
			return w.ExpireInvitation(by, domain.ExpireInvitation{AccountID: a}, now)
		}},
		{"request", self, func(by domain.Actor) ([]domain.Event, error) {
			return w.RequestAccess(by, domain.RequestAccess{AccountID: a}, now)
		}},
		{"approve", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.ApproveAccess(by, domain.ApproveAccess{AccountID: a, Role: role}, now)
		}},
		{"reject", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.RejectAccess(by, domain.RejectAccess{AccountID: a}, now)
		}},
		{"role", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.ChangeRole(by, domain.ChangeRole{AccountID: a, Role: role}, now)
		}},
		{"deactivate", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.DeactivateLicense(by, domain.DeactivateLicense{AccountID: a}, now)
		}},
		{"reactivate", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.ReactivateLicense(by, domain.ReactivateLicense{AccountID: a}, now)
		}},
		{"suspend", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.SuspendMember(by, domain.SuspendMember{AccountID: a, Reason: "audit"}, now)
		}},
		{"reinstate", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.ReinstateMember(by, domain.ReinstateMember{AccountID: a}, now)
		}},
		{"delete", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.DeleteMember(by, domain.DeleteMember{AccountID: a}, now)
		}},
		{"restore", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.RestoreMember(by, domain.RestoreMember{AccountID: a}, now)
		}},
		{"purge", system, func(by domain.Actor) ([]domain.Event, error) {
			return w.PurgeMember(by, domain.PurgeMember{AccountID: a}, now)
		}},
		{"transfer", owner, func(by domain.Actor) ([]domain.Event, error) {
			return w.TransferOwnership(by, domain.TransferOwnership{To: a}, now)
		}},
	}
	// Mostly a decision that the member's status allows, so that histories go far; now
	// and then any, which the domain may refuse.
	names := rosterMoves[h.place(a)]
	if h.rng.IntN(5) == 0 {
		names = nil
	}
	var pick []int
	for i, d := range decisions {
		if names == nil || names[d.name] {
			pick = append(pick, i)
		}
	}
	d := decisions[pick[h.rng.IntN(len(pick))]]
	h.decide(d.name, d.by, d.do)
}

// rosterMoves are the decisions each status allows (off the roster: "").
var rosterMoves = map[domain.MemberStatus]map[string]bool{
	"":                       {"invite": true, "request": true},
	domain.StatusInvited:     {"accept": true, "revoke": true, "expire": true, "role": true, "delete": true},
	domain.StatusPending:     {"approve": true, "reject": true, "delete": true},
	domain.StatusActive:      {"role": true, "deactivate": true, "suspend": true, "delete": true, "transfer": true},
	domain.StatusSuspended:   {"reinstate": true, "deactivate": true, "delete": true},
	domain.StatusDeactivated: {"reactivate": true, "delete": true, "role": true},
	domain.StatusDeleted:     {"restore": true, "purge": true},
	domain.StatusPurged:      {"invite": true, "request": true},
}

// place answers the account's status on the domain's roster ("" when off it).
func (h *rosterHistory) place(a uuid.UUID) domain.MemberStatus {
	e, _ := h.w.Member(a)
	return e.Status
}

// replay folds events into a workspace, as the domain does before it decides.
func replay(events []domain.Event) *domain.Workspace {
	w := &domain.Workspace{}
	for _, e := range events {
		w.Apply(e)
	}
	return w
}

// domainPlaces answers the place of every account w's roster holds, purged ones left out.
func domainPlaces(w *domain.Workspace) map[uuid.UUID]place {
	out := map[uuid.UUID]place{}
	for _, id := range w.MemberIDs() {
		if e, _ := w.Member(id); e.Status != domain.StatusPurged {
			out[id] = place{e.Status, e.Role}
		}
	}
	return out
}

// stepPlaces folds events with roster.Step.
func stepPlaces(events []domain.Event) map[uuid.UUID]place {
	entries := map[uuid.UUID]roster.Entry{}
	for _, e := range events {
		for _, u := range roster.Step(e, func(a uuid.UUID) roster.Entry { return entries[a] }) {
			entries[u.Account] = u.Entry
		}
	}
	out := map[uuid.UUID]place{}
	for id, e := range entries {
		if e.OnRoster() && e.Status != domain.StatusPurged {
			out[id] = place{e.Status, e.Role}
		}
	}
	return out
}

// tablePlaces applies the history to read model p, in batches of 5, and reads the places
// its table keeps.
func tablePlaces(t *testing.T, h *rosterHistory, p projections.Projection, table string) map[uuid.UUID]place {
	t.Helper()
	g := projectiontest.NewGiven(t, p)
	envs := make([]projections.Envelope, 0, len(h.events))
	for _, e := range h.events {
		envs = append(envs, g.Event(domain.WorkspaceStream(h.ws), e))
	}
	g.Apply(5, envs...)
	columns := "status, role"
	if !rosterTables[p.Name()].role {
		columns = "status, ''"
	}
	rows, err := g.Pool.Query(context.Background(), "SELECT account_id, "+columns+" FROM "+projections.Qualified(g.Schema, table)+
		" WHERE workspace_id = $1", h.ws)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[uuid.UUID]place{}
	for rows.Next() {
		var id uuid.UUID
		var p place
		if err := rows.Scan(&id, &p.status, &p.role); err != nil {
			t.Fatal(err)
		}
		if p.status != "" && p.status != domain.StatusPurged {
			out[id] = p
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
