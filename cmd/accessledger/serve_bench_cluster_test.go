package main

// The durable PostgreSQL cluster of BenchmarkServe, and what PostgreSQL tells of a phase.

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/internal/pglauncher"
)

// startDurableCluster starts a private PostgreSQL cluster in a new temporary folder with
// the server's durable defaults (fsync and synchronous_commit on, as users run it, unlike
// pgtest's throwaway cluster) and pg_stat_statements loaded. Cleanup stops it and removes
// the folder.
func startDurableCluster(b *testing.B) *pglauncher.Cluster {
	b.Helper()
	// A folder of its own, not nested in a private one, so that the postgres OS user can
	// reach it when the benchmark runs as root.
	dir, err := os.MkdirTemp("", "accessledger-servebench-")
	if err != nil {
		b.Fatalf("create cluster folder: %v", err)
	}
	ctx := context.Background()
	cluster, err := pglauncher.Start(ctx, pglauncher.Config{DataDir: dir,
		Settings: map[string]string{"shared_preload_libraries": "pg_stat_statements"}})
	if err != nil {
		os.RemoveAll(dir)
		b.Fatalf("start the benchmark's cluster: %v", err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), clusterStopTimeout)
		defer cancel()
		if err := cluster.Stop(ctx); err != nil {
			b.Errorf("stop the benchmark's cluster: %v", err)
		}
		os.RemoveAll(dir)
	})
	return cluster
}

// createBenchDatabase creates database name in cluster, migrates it and creates the
// pg_stat_statements extension there. It answers the database's URL and a pool on it
// (of serve's size), closed in Cleanup.
func createBenchDatabase(b *testing.B, cluster *pglauncher.Cluster, name string) (string, *pgxpool.Pool) {
	b.Helper()
	ctx := context.Background()
	if err := cluster.CreateDatabase(ctx, name); err != nil {
		b.Fatal(err)
	}
	url := cluster.ConnString(name)
	pool, err := openPool(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if err := migrate(ctx, pool); err != nil {
		b.Fatalf("migrate %s: %v", name, err)
	}
	if _, err := pool.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"); err != nil {
		b.Fatalf("create pg_stat_statements in %s: %v", name, err)
	}
	return url, pool
}

// seedingPool answers a pool on url whose sessions commit without waiting for the WAL
// flush: seeding is set-up, not measured, and waiting a disk flush per single-event
// append (every account and claim stream) would take many minutes. The cluster itself
// stays durable; the service and the baselines run on ordinary sessions.
func seedingPool(b *testing.B, url string) *pgxpool.Pool {
	b.Helper()
	config, err := pgxpool.ParseConfig(url)
	if err != nil {
		b.Fatal(err)
	}
	config.MaxConns = seedWorkers + 2
	config.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	pool, err := pgxpool.NewWithConfig(context.Background(), config)
	if err != nil {
		b.Fatal(err)
	}
	return pool
}

// settle brings a freshly written database to a steady state: VACUUM ANALYZE so that
// autovacuum does not come by in the middle of a measurement and the planner knows the
// tables, then CHECKPOINT so that no flush of earlier writes overlaps it.
func settle(b *testing.B, pool *pgxpool.Pool) {
	b.Helper()
	for _, sql := range []string{"VACUUM ANALYZE", "CHECKPOINT"} {
		if _, err := pool.Exec(context.Background(), sql); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
}

// dbCounters are the cumulative counters of one database that a phase is judged by.
type dbCounters struct {
	xacts    int64            // transactions committed
	seqScans map[string]int64 // per table
	rows     map[string]int64 // live rows per table
}

// statsFlushWait lets the server's backends publish their statistics: a backend flushes
// its counters at most once a second, and when it goes idle.
const statsFlushWait = 1500 * time.Millisecond

// readCounters answers the database's counters now.
func readCounters(b *testing.B, pool *pgxpool.Pool) dbCounters {
	b.Helper()
	ctx := context.Background()
	c := dbCounters{seqScans: map[string]int64{}, rows: map[string]int64{}}
	err := pool.QueryRow(ctx, `SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`).Scan(&c.xacts)
	if err != nil {
		b.Fatalf("read pg_stat_database: %v", err)
	}
	rows, err := pool.Query(ctx, `SELECT schemaname || '.' || relname, coalesce(seq_scan, 0), n_live_tup FROM pg_stat_user_tables`)
	if err != nil {
		b.Fatalf("read pg_stat_user_tables: %v", err)
	}
	var name string
	var scans, live int64
	_, err = pgx.ForEachRow(rows, []any{&name, &scans, &live}, func() error {
		c.seqScans[name], c.rows[name] = scans, live
		return nil
	})
	if err != nil {
		b.Fatalf("read pg_stat_user_tables: %v", err)
	}
	return c
}

// resetStatements empties pg_stat_statements, so that the next report covers one phase.
func resetStatements(b *testing.B, pool *pgxpool.Pool) {
	b.Helper()
	if _, err := pool.Exec(context.Background(), "SELECT pg_stat_statements_reset()"); err != nil {
		b.Fatalf("reset pg_stat_statements: %v", err)
	}
}

// bigTable is the size from which a sequential scan of a table is worth reporting.
const bigTable = 10_000

// statementReport answers what the database did during a phase of commands: the five
// statements that took the most time, the transactions committed per command (every
// transaction of the database: the commands', the reads', the projections') and the
// sequential scans of tables of more than bigTable rows; and the transactions per command.
func statementReport(b *testing.B, pool *pgxpool.Pool, before, after dbCounters, commands int) ([]string, float64) {
	b.Helper()
	rows, err := pool.Query(context.Background(), `SELECT calls, total_exec_time, mean_exec_time,
		left(regexp_replace(query, '\s+', ' ', 'g'), 160)
		FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		ORDER BY total_exec_time DESC LIMIT 5`)
	if err != nil {
		b.Fatalf("read pg_stat_statements: %v", err)
	}
	var lines []string
	var calls int64
	var total, mean float64
	var query string
	_, err = pgx.ForEachRow(rows, []any{&calls, &total, &mean, &query}, func() error {
		lines = append(lines, fmt.Sprintf("top %d: %7d calls %8.0f ms total %7.3f ms mean  %s", len(lines)+1, calls, total, mean, query))
		return nil
	})
	if err != nil {
		b.Fatalf("read pg_stat_statements: %v", err)
	}
	xacts := after.xacts - before.xacts
	perCommand := float64(xacts) / float64(max(commands, 1))
	lines = append(lines, fmt.Sprintf("%d transactions committed for %d commands: %.2f per command", xacts, commands, perCommand))
	return append(lines, seqScanReport(before, after)), perCommand
}

// seqScanReport answers the sequential scans of the tables of more than bigTable rows:
// their total, and each table scanned.
func seqScanReport(before, after dbCounters) string {
	var names []string
	for name, n := range after.rows {
		if n > bigTable {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var total int64
	var line string
	for _, name := range names {
		d := after.seqScans[name] - before.seqScans[name]
		total += d
		if d > 0 {
			line += fmt.Sprintf(" %s(%d rows)=%d", name, after.rows[name], d)
		}
	}
	return fmt.Sprintf("%d sequential scans of the %d tables over %d rows:%s", total, len(names), bigTable, line)
}
