package readmodels_test

import (
	"context"
	"fmt"
	"testing"

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
