package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// planBounded are the only tables a hot-path statement may scan in full, each with why
// its size is bounded whatever the log, the members and the tokens grow to.
var planBounded = map[string]string{
	"public.projection_checkpoints": "one row per projection",
	"public.event_log":              "one row: the event log the database follows",
	"public.schema_version":         "one row: the schema's migration version",
	"public.scheduler_state":        "one row: the scheduler's lease and last run",
}

// planExplainer explains statements on one connection, as PostgreSQL plans them once it
// has switched a prepared statement to its generic plan: without the parameters' values.
type planExplainer struct {
	conn        *pgx.Conn
	generations map[string]string // the live generation of each projection
	n           int               // statements prepared, for their names
}

// newPlanExplainer answers a planExplainer on conn, which it switches to generic plans.
func newPlanExplainer(ctx context.Context, conn *pgx.Conn) (*planExplainer, error) {
	if _, err := conn.Exec(ctx, planMarker+"SET plan_cache_mode = force_generic_plan"); err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, planMarker+"SELECT name, generation::text FROM projection_checkpoints")
	if err != nil {
		return nil, err
	}
	p := &planExplainer{conn: conn, generations: map[string]string{}}
	var name, generation string
	_, err = pgx.ForEachRow(rows, []any{&name, &generation}, func() error { p.generations[name] = generation; return nil })
	return p, err
}

// planScan is a sequential scan in a plan.
type planScan struct{ schema, table string }

func (s planScan) String() string { return s.schema + "." + s.table }

// planNode is a node of EXPLAIN (FORMAT JSON), with what a scan needs.
type planNode struct {
	Type     string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Schema   string     `json:"Schema"`
	Plans    []planNode `json:"Plans"`
}

// seqScans answers the sequential scans of unbounded tables in n and below it.
func (n planNode) seqScans() []planScan {
	var out []planScan
	if n.Type == "Seq Scan" {
		s := planScan{schema: n.Schema, table: n.Relation}
		if _, bounded := planBounded[s.String()]; !bounded {
			out = append(out, s)
		}
	}
	for _, child := range n.Plans {
		out = append(out, child.seqScans()...)
	}
	return out
}

// explain answers the generic plan of a normalized statement, as text, and the
// sequential scans of unbounded tables in it. The constants that pg_stat_statements made
// parameters stay parameters, executed as NULL like the others: the plan is made without
// their values either. That is mostly the more pessimistic plan: a LIMIT $n is costed
// for a tenth of the rows, where the code sends LIMIT 51.
func (p *planExplainer) explain(ctx context.Context, sql string) (string, []planScan, error) {
	sql = p.live(sql)
	p.n++
	name := "plans_test_" + strconv.Itoa(p.n)
	n, err := p.prepare(ctx, name, sql)
	if err != nil {
		return "", nil, fmt.Errorf("prepare: %w", err)
	}
	defer func() { _ = p.conn.PgConn().Exec(ctx, "DEALLOCATE "+name).Close() }()
	args := ""
	if n > 0 {
		args = "(" + strings.TrimSuffix(strings.Repeat("NULL, ", n), ", ") + ")"
	}
	var raw []byte
	if err := p.conn.QueryRow(ctx, planMarker+"EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE "+name+args).Scan(&raw); err != nil {
		return "", nil, fmt.Errorf("explain: %w", err)
	}
	var plans []struct{ Plan planNode }
	if err := json.Unmarshal(raw, &plans); err != nil || len(plans) != 1 {
		return "", nil, fmt.Errorf("explain: unexpected output %s: %v", raw, err)
	}
	rows, err := p.conn.Query(ctx, planMarker+"EXPLAIN EXECUTE "+name+args)
	if err != nil {
		return "", nil, fmt.Errorf("explain: %w", err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return strings.Join(lines, "\n"), plans[0].Plan.seqScans(), err
}

// live answers sql with the generation of each projection schema it names, and
// without the constants that pg_stat_statements made parameters where a parameter
// cannot stand (planRestore).
func (p *planExplainer) live(sql string) string {
	for _, r := range planRestore {
		sql = r.pattern.ReplaceAllString(sql, r.with)
	}
	return planGenerationN.ReplaceAllStringFunc(sql, func(schema string) string {
		name := strings.TrimSuffix(strings.TrimPrefix(schema, "p_"), "_N")
		return "p_" + name + "_" + p.generations[name]
	})
}

var planGenerationN = regexp.MustCompile(`\bp_[a-z][a-z0-9_]*?_N\b`)

// planRestore undoes pg_stat_statements' replacement of a constant by a parameter where
// the grammar takes no parameter: a typed literal (interval '1 day') becomes a cast of
// the parameter, and the field of extract (epoch), which no plan depends on, comes back.
var planRestore = []struct {
	pattern *regexp.Regexp
	with    string
}{
	{regexp.MustCompile(`\b(interval|date|timestamptz|timestamp|uuid) (\$[0-9]+)`), "${2}::${1}"},
	{regexp.MustCompile(`\bextract\(\$[0-9]+ FROM `), "extract(epoch FROM "},
}

// prepare prepares sql as name and answers its number of parameters. pg_stat_statements
// shows each constant as one more parameter, whose type PREPARE infers from where it
// stands; where it cannot (a constant in a select list), the parameter is declared text.
func (p *planExplainer) prepare(ctx context.Context, name, sql string) (int, error) {
	n := 0
	for _, m := range planParamNumber.FindAllString(sql, -1) {
		k, _ := strconv.Atoi(m[1:])
		n = max(n, k)
	}
	types := make([]string, n)
	for i := range types {
		types[i] = "unknown" // inferred from the context, as without a declaration
	}
	for {
		decl := ""
		if n > 0 {
			decl = " (" + strings.Join(types, ", ") + ")"
		}
		// The simple protocol: the statement's parameters are PREPARE's, not the
		// protocol's.
		err := p.conn.PgConn().Exec(ctx, "PREPARE "+name+decl+" AS "+sql).Close()
		k := planIndeterminateParam(err)
		if k == 0 || k > n || types[k-1] != "unknown" {
			return n, err
		}
		types[k-1] = "text"
	}
}

var planIndeterminate = regexp.MustCompile(`parameter \$([0-9]+)`)

// planIndeterminateParam answers the parameter whose type PostgreSQL could not determine in
// err, or 0.
func planIndeterminateParam(err error) int {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42P18" {
		return 0
	}
	m := planIndeterminate.FindStringSubmatch(pgErr.Message)
	if m == nil {
		return 0
	}
	k, _ := strconv.Atoi(m[1])
	return k
}
