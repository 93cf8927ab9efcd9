package readmodels_test

import (
	"fmt"
	"slices"
	"testing"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/projectiontest"
	"accessledger/projections/readmodels"
)

// TestEveryReadModelGivesTheSameTablesHoweverItIsFed is the read models' conformance
// suite: one story that fills every table of every read model, fed to all of them one
// event at a time, in batches of three, all at once, and folded in bulk as a rebuild's
// catch-up folds it (in batches of three), gives the same rows in every table.
func TestEveryReadModelGivesTheSameTablesHoweverItIsFed(t *testing.T) {
	t.Parallel()
	events := conformanceStory(t)
	oneByOne := feed(t, events, 1)
	for _, p := range readmodels.All() {
		for _, table := range p.Tables() {
			if len(projectiontest.Dump(t, oneByOne, table)) == 0 {
				t.Errorf("%s: the story leaves table %s empty", p.Name(), table)
			}
		}
	}
	for _, size := range []int{3, 0, -3} {
		t.Run(feeding(size), func(t *testing.T) {
			t.Parallel()
			other := feed(t, events, size)
			for _, p := range readmodels.All() {
				for _, table := range p.Tables() {
					// Generated ids follow the order rows were written in, which batching changes.
					want, got := projectiontest.Dump(t, oneByOne, table, "id"), projectiontest.Dump(t, other, table, "id")
					if !slices.Equal(got, want) {
						t.Errorf("%s: table %s differs:\n got %v\nwant %v", p.Name(), table, got, want)
					}
				}
			}
		})
	}
}

func feeding(size int) string {
	switch {
	case size == 0:
		return "all at once"
	case size < 0:
		return fmt.Sprintf("in bulk, by %d", -size)
	}
	return fmt.Sprintf("by %d", size)
}

// conformanceStory answers the events of the two stories the read models' own tests
// tell: a ledger of accounts, invitations, roles, licenses and lifecycles, and an
// authorization scenario of catalogs, grants and their changes, in two workspaces.
func conformanceStory(t *testing.T) []projections.Envelope {
	t.Helper()
	g := projectiontest.NewGiven(t, readmodels.All()[0])
	scenario := projectiontest.NewScenario(g)
	ledger := projectiontest.NewLedgerWorld(g, 6)
	projectiontest.Story(ledger)
	for _, e := range []domain.Event{ // spend scopes, which neither story has
		domain.SpendScopeDefined{Scope: "provider:aws", Name: "AWS"},
		domain.SpendScopeDefined{Scope: "cloud_account:a-1", Parent: "provider:aws", Name: "Prod"},
		domain.SpendScopeDefined{Scope: "subscription:s-1", Parent: "cloud_account:a-1", Name: "Web"},
		domain.SpendScopeDefined{Scope: "spend_group:core", Name: "Core"},
		domain.SpendScopeGrouped{Group: "spend_group:core", Scope: "cloud_account:a-1"},
		domain.SpendScopeGrouped{Group: "spend_group:core", Scope: "subscription:s-1"},
		domain.SpendScopeUngrouped{Group: "spend_group:core", Scope: "subscription:s-1"},
	} {
		ledger.Roster(e)
	}
	events := slices.Concat(scenario.Events, ledger.Events)
	slices.SortFunc(events, func(a, b projections.Envelope) int { return a.Position.Compare(b.Position) })
	return events
}

// feed installs every read model on a fresh database and feeds it events in batches of
// size (0: all at once; negative: folded in bulk, by -size, where the model folds in
// bulk, and applied by -size otherwise, as a rebuild does).
func feed(t *testing.T, events []projections.Envelope, size int) *projectiontest.Given {
	t.Helper()
	all := readmodels.All()
	g := projectiontest.NewGiven(t, all[0])
	for i, p := range all {
		schema := g.Schema
		if i > 0 {
			var err error
			if schema, err = projections.InstallForTest(t.Context(), g.Pool, p); err != nil {
				t.Fatal(err)
			}
		}
		n := size
		if _, bulk := p.(projections.BulkBuilder); n < 0 && !bulk {
			n = -n
		}
		projectiontest.LedgerApply(g, p, schema, n, events)
	}
	return g
}
