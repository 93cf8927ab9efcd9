package main

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestPlanNormalize checks how TestHotPathPlans names a statement pg_stat_statements
// recorded: the key of the list.
func TestPlanNormalize(t *testing.T) {
	tests := []struct {
		name, sql, want string
	}{
		{"whitespace", "SELECT a\n\t\tFROM  events\nWHERE b = $1 ", "SELECT a FROM events WHERE b = $1"},
		{"generation", `SELECT x FROM "p_members_12"."members_members" JOIN p_access_3.access_checks`,
			`SELECT x FROM "p_members_N"."members_members" JOIN p_access_N.access_checks`},
		{"generation of a name with underscores", `DELETE FROM "p_my_model_7"."t"`, `DELETE FROM "p_my_model_N"."t"`},
		{"one row", "INSERT INTO events (a, b) VALUES ($1,$2) RETURNING c", "INSERT INTO events (a, b) VALUES ($1,$2) RETURNING c"},
		{"rows", "INSERT INTO events (a, b) VALUES ($1,$2),($3,$4),($5,$6) RETURNING c", "INSERT INTO events (a, b) VALUES ($1,$2) RETURNING c"},
		{"rows with spaces", "INSERT INTO t VALUES ($1, $2), ($3, $4)", "INSERT INTO t VALUES ($1, $2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := planNormalize(tt.sql); got != tt.want {
				t.Errorf("planNormalize(%q) = %q, want %q", tt.sql, got, tt.want)
			}
		})
	}
	if planKey("SELECT $1 WHERE a = $12") != planKey("SELECT $3 WHERE a = $4") {
		t.Error("planKey tells statements apart by the numbers of their parameters")
	}
}

// TestPlanExcluded checks that the exclusion rules leave the hot path alone.
func TestPlanExcluded(t *testing.T) {
	tests := []struct {
		sql      string
		excluded bool
	}{
		{"/* plans-test */ SELECT count(*) FROM projection_checkpoints", true},
		{"begin", true},
		{`copy "p_access_N"."access_checks" ( "workspace_id" ) from stdin binary`, true},
		{"select version from public.schema_version", true},
		{"UPDATE projection_checkpoints SET epoch = epoch + $6, lease_owner = $2 WHERE name = $1", true},
		{"UPDATE projection_checkpoints SET rebuild_position = $2 WHERE name = $1", true},
		{"SELECT version, generation, position, events_applied, rebuild_generation FROM projection_checkpoints WHERE name = $1", false},
		{"SELECT version, generation, position, epoch, state FROM projection_checkpoints WHERE name = $1", true},
		{"UPDATE projection_checkpoints SET position = $4 WHERE name = $1 AND epoch = $2", false},
		{"SELECT transaction_id FROM events WHERE stream = $1", false},
		{"SELECT $1 FROM events LIMIT $2", true},
	}
	for _, tt := range tests {
		if got := planExcluded(tt.sql) != ""; got != tt.excluded {
			t.Errorf("planExcluded(%q) = %q, want excluded %v", tt.sql, planExcluded(tt.sql), tt.excluded)
		}
	}
}

// TestPlanSeqScans checks the walk of a plan: sequential scans at any depth, but of the
// bounded tables.
func TestPlanSeqScans(t *testing.T) {
	raw := `[{"Plan": {"Node Type": "Result", "Plans": [
		{"Node Type": "Seq Scan", "Relation Name": "events", "Schema": "public"},
		{"Node Type": "Nested Loop", "Plans": [
			{"Node Type": "Index Scan", "Relation Name": "members_members", "Schema": "p_members_2"},
			{"Node Type": "Seq Scan", "Relation Name": "access_checks", "Schema": "p_access_2"},
			{"Node Type": "Seq Scan", "Relation Name": "projection_checkpoints", "Schema": "public"}]}]}}]`
	var plans []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(raw), &plans); err != nil {
		t.Fatal(err)
	}
	got := plans[0].Plan.seqScans()
	want := []planScan{{"public", "events"}, {"p_access_2", "access_checks"}}
	if !slices.Equal(got, want) {
		t.Errorf("seqScans = %v, want %v", got, want)
	}
}

// TestPlanRestore checks the constants put back where PREPARE takes no parameter.
func TestPlanRestore(t *testing.T) {
	e := &planExplainer{generations: map[string]string{"members": "3"}}
	tests := []struct{ sql, want string }{
		{`SELECT g FROM generate_series($2::date, $3::date, interval $4) g`, `SELECT g FROM generate_series($2::date, $3::date, $4::interval) g`},
		{`SELECT pid, extract($1 FROM now() - xact_start) FROM x`, `SELECT pid, extract(epoch FROM now() - xact_start) FROM x`},
		{`SELECT 1 FROM "p_members_N"."members_members"`, `SELECT 1 FROM "p_members_3"."members_members"`},
	}
	for _, tt := range tests {
		if got := e.live(tt.sql); got != tt.want {
			t.Errorf("live(%q) = %q, want %q", tt.sql, got, tt.want)
		}
	}
}
