package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/readmodels"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// planGrowing are the tables that grow with the log, the members, their grants or the
// tokens: TestHotPathPlans runs on planSizes.minRows rows in each.
var planGrowing = map[string]string{
	"events":                 "the log",
	"api_tokens":             "the tokens",
	"_stream_versions":       "the streams, in each projection",
	"members_accounts":       "the accounts",
	"members_members":        "the members",
	"members_search":         "the members",
	"members_projects":       "the project roles",
	"members_clients":        "the client links",
	"members_visas":          "the visas",
	"members_settings":       "the members",
	"members_scopes":         "the members, times their scopes",
	"access_checks":          "the members, times their grants",
	"access_members":         "the members",
	"activity_log":           "the log",
	"booking_authorizations": "the visas",
	"booking_members":        "the members",
	"clients_links":          "the client links",
	"history_facts":          "the members' grants, over time",
	"history_changes":        "the members' changes",
	"licenses_members":       "the members",
	"scheduler_due":          "the visas with an end, the pending invitations and the deleted members",
}

// planPerWorkspace are the tables of a row per workspace, or per catalog item or day of
// one: they hold a row for each of planSizes.workspaces.
var planPerWorkspace = map[string]string{
	"access_workspaces":          "the workspaces",
	"activity_catalog":           "the catalog items",
	"booking_workspaces":         "the workspaces",
	"booking_retired":            "the retired catalog items",
	"clients_names":              "the clients",
	"history_workspace_facts":    "the workspaces' settings, over time",
	"licenses_workspaces":        "the workspaces",
	"licenses_daily":             "the workspaces' days",
	"members_workspace_projects": "the projects",
	"spend_scopes":               "the spend scopes (providers, cloud accounts, subscriptions, groups)",
}

// planCheckSizes fails unless the tables of the read models' live generations and of
// the public schema hold what size asks for, and unless each is classified: a new table
// must be sized deliberately.
func planCheckSizes(t *testing.T, pool *pgxpool.Pool, size planSizes) {
	t.Helper()
	rows, err := pool.Query(context.Background(), planMarker+`SELECT s.schemaname, s.relname, s.n_live_tup
		FROM pg_stat_user_tables s LEFT JOIN projection_checkpoints c ON s.schemaname = 'p_' || c.name || '_' || c.generation
		WHERE s.schemaname = 'public' OR c.name IS NOT NULL ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	var schema, table string
	var n int64
	_, err = pgx.ForEachRow(rows, []any{&schema, &table, &n}, func() error {
		_, bounded := planBounded[schema+"."+table]
		switch {
		case bounded:
		case table == "_stream_versions" && planWorkspaceStreamsOnly(schema):
			// A read model that uses the workspace streams' events only records them.
			if n < int64(size.workspaces) {
				t.Errorf("%s.%s holds %d rows, want at least %d: it grows with the workspaces", schema, table, n, size.workspaces)
			}
		case planGrowing[table] != "":
			if n < int64(size.minRows) {
				t.Errorf("%s.%s holds %d rows, want at least %d: it grows with %s", schema, table, n, size.minRows, planGrowing[table])
			}
		case planPerWorkspace[table] != "":
			if n < int64(size.workspaces) {
				t.Errorf("%s.%s holds %d rows, want at least %d: it grows with %s", schema, table, n, size.workspaces, planPerWorkspace[table])
			}
		default:
			t.Errorf("%s.%s is neither bounded, growing nor per workspace: classify it in plans_sizes_test.go", schema, table)
		}
		t.Logf("%s.%s: %d rows", schema, table, n)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// planWorkspaceStreamsOnly reports whether the read model of a generation schema uses
// the events of workspace streams only, whose continuity alone it records.
func planWorkspaceStreamsOnly(schema string) bool {
	for _, p := range readmodels.All() {
		if !strings.HasPrefix(schema, "p_"+p.Name()+"_") {
			continue
		}
		user, ok := p.(projections.EventUser)
		if !ok {
			return false
		}
		for _, t := range user.Events().Handled {
			if !slices.Equal(domain.StreamKindsOf(t), []string{domain.StreamKindWorkspace}) {
				return false
			}
		}
		return true
	}
	return false
}
