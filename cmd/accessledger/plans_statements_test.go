package main

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/internal/pgtest"
)

// planMarker starts every statement TestHotPathPlans runs itself, so that the capture
// leaves them out by the first exclusion rule.
const planMarker = "/* plans-test */ "

// planStatementsHelp says what a server needs for TestHotPathPlans.
const planStatementsHelp = "TestHotPathPlans reads pg_stat_statements: on the server of " + pgtest.EnvURL +
	", set shared_preload_libraries = 'pg_stat_statements' in postgresql.conf, restart it, install the extension's " +
	"files (PostgreSQL's contrib, in Debian's postgresql package) and let the test's user create extensions and call " +
	"pg_stat_statements_reset() (a superuser); or unset " + pgtest.EnvURL + " to test on pgtest's own cluster, which loads it"

// planRequireStatements creates pg_stat_statements in the test's database and checks
// that it records and that the test may reset it. On a server of TEST_DATABASE_URL
// without it, the test is skipped, saying what to enable; on pgtest's own cluster, which
// loads it, it fails.
func planRequireStatements(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	_, err := pool.Exec(ctx, planMarker+"CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
	if err == nil {
		_, err = pool.Exec(ctx, planMarker+"SELECT 1 FROM pg_stat_statements LIMIT 1")
	}
	if err == nil {
		_, err = pool.Exec(ctx, planResetSQL)
	}
	if err == nil {
		return
	}
	if os.Getenv(pgtest.EnvURL) != "" {
		t.Skipf("%s (%v)", planStatementsHelp, err)
	}
	t.Fatalf("pgtest's cluster must load pg_stat_statements (internal/pgtest clusterSettings): %v", err)
}

// planResetSQL forgets what pg_stat_statements recorded in the test's database, and
// only there: the cluster may serve other tests.
const planResetSQL = planMarker + "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)"

// planResetStatements forgets what pg_stat_statements recorded in the test's database.
func planResetStatements(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), planResetSQL); err != nil {
		t.Fatalf("reset pg_stat_statements: %v", err)
	}
}

// planStatement is a statement pg_stat_statements recorded, normalized (planNormalize).
type planStatement struct {
	sql   string
	calls int64
}

// planReadStatements answers what the test's database ran since the reset, normalized
// and merged by normalized text, sorted.
func planReadStatements(t *testing.T, pool *pgxpool.Pool) []planStatement {
	t.Helper()
	rows, err := pool.Query(context.Background(), planMarker+`SELECT query, calls FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	if err != nil {
		t.Fatalf("read pg_stat_statements: %v", err)
	}
	calls := map[string]int64{}
	var query string
	var n int64
	_, err = pgx.ForEachRow(rows, []any{&query, &n}, func() error { calls[planNormalize(query)] += n; return nil })
	if err != nil {
		t.Fatalf("read pg_stat_statements: %v", err)
	}
	out := make([]planStatement, 0, len(calls))
	for sql, n := range calls {
		out = append(out, planStatement{sql: sql, calls: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].sql < out[j].sql })
	return out
}

var (
	// planGenerationNumber is the generation in a projection's schema name, p_<name>_<n>.
	planGenerationNumber = regexp.MustCompile(`\bp_([a-z][a-z0-9_]*?)_[0-9]+\b`)
	planWhitespace       = regexp.MustCompile(`\s+`)
	// planValuesRows are the rows of a multi-row VALUES of parameters, as the event store
	// builds for an append of n events: one row stands for all.
	planValuesRows  = regexp.MustCompile(`VALUES \((\$[0-9]+ ?, ?)*\$[0-9]+\)(, ?\((\$[0-9]+ ?, ?)*\$[0-9]+\))+`)
	planParamNumber = regexp.MustCompile(`\$[0-9]+`)
)

// planNormalize answers a statement as the list holds it: planWhitespace collapsed, the
// generation of every projection schema replaced by N, and a multi-row VALUES of
// parameters cut to its first row (the statement's text grows with its rows, the plan
// does not).
func planNormalize(sql string) string {
	sql = strings.TrimSpace(planWhitespace.ReplaceAllString(sql, " "))
	sql = planGenerationNumber.ReplaceAllString(sql, "p_${1}_N")
	return planValuesRows.ReplaceAllStringFunc(sql, func(rows string) string {
		first, _, _ := strings.Cut(rows, ")")
		return first + ")"
	})
}

// planKey answers what two normalized statements share when they are the same
// statement: their text with the parameters unnumbered, since cutting a VALUES renumbers
// the parameters after it.
func planKey(sql string) string { return planParamNumber.ReplaceAllString(sql, "$") }

// planExclusion is a kind of statement that is not on the hot path, or has no plan.
type planExclusion struct {
	why   string
	match *regexp.Regexp
}

// planExclusions are the statements TestHotPathPlans does not check, each with why. The
// statements they match are logged, never dropped silently. TestHotPathPlans serves the
// database anew after the reset, so the start-up of serve shows too.
var planExclusions = []planExclusion{
	// The test's own statements: the reset, the reads of the catalog and of
	// pg_stat_statements, the seeding.
	{"the test's own", regexp.MustCompile(`^/\* plans-test \*/`)},
	// Utility statements have no plan that could scan: transactions, LISTEN, the COPY
	// with which a batch inserts rows, VACUUM, the DDL of migrations and installs.
	{"utility statement, not planned", regexp.MustCompile(`(?i)^(begin|commit|rollback|savepoint|release|set|reset|show|listen|unlisten|discard|deallocate|vacuum|analyze|checkpoint|copy|lock|create|drop|alter|comment|grant|revoke)\b`)},
	// pgx asks the catalog about types it does not know, once per connection.
	{"pgx's introspection of pg_catalog", regexp.MustCompile(`(?i)\bfrom pg_(type|namespace|class|attribute|proc|range|enum)\b`)},
	// serve migrates on start (tern, under an advisory lock), before it serves.
	{"start-up: migrations", regexp.MustCompile(`^(select count\(\*\) from pg_catalog\.pg_tables where |select pg_advisory_(un)?lock\(\$1\)$|select version from public\.schema_version$)`)},
	// postgres.Open checks that the events table exists, with LIMIT 0.
	{"start-up: the event store finds its table", regexp.MustCompile(`^SELECT \$1 FROM events LIMIT \$2$`)},
	// projections.BindEventLog, once per process.
	{"start-up: binding the event log", regexp.MustCompile(`^WITH bind AS \( INSERT INTO event_log `)},
	// The runtime installs each missing projection under an advisory lock, after reading
	// its checkpoint.
	{"start-up: projection installs", regexp.MustCompile(`^(SELECT pg_advisory_xact_lock\(hashtext\(\$1\)\)|SELECT version, generation, position, epoch, state FROM projection_checkpoints WHERE name = \$1)$`)},
	// A projector takes its projection's lease at start-up, and again only after losing
	// it (another instance took over, the database was out of reach).
	{"start-up: lease acquire", regexp.MustCompile(`^UPDATE projection_checkpoints SET epoch = epoch \+ `)},
	// A rebuild's bookkeeping, started by an operator or by a new version at start-up.
	{"rebuild", regexp.MustCompile(`^UPDATE projection_checkpoints SET .*\brebuild_`)},
}

// planExcluded answers why sql is not checked, or "" when it is on the hot path.
func planExcluded(sql string) string {
	for _, e := range planExclusions {
		if e.match.MatchString(sql) {
			return e.why
		}
	}
	return ""
}

// planGoLiteral answers sql as a Go raw string literal, for pasting into the list.
func planGoLiteral(sql string) string {
	if strings.Contains(sql, "`") {
		return fmt.Sprintf("%q", sql)
	}
	return "`" + sql + "`"
}
