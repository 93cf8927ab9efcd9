package readmodels_test

import (
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

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
