package pgtest_test

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"accessledger/internal/pgtest"
	"accessledger/migrations"
)

// parallelTests is how many tests run at once unless -parallel says otherwise: more than
// the default of one per CPU, so that TestParallelDatabases really has many tests create
// databases at the same time.
const parallelTests = 40

func TestMain(m *testing.M) {
	flag.Parse()
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		if err := flag.Set("test.parallel", fmt.Sprint(parallelTests)); err != nil {
			panic(err)
		}
	}
	pgtest.Main(m)
}

func TestNewDatabaseIsMigrated(t *testing.T) {
	pool := pgtest.NewPool(t)
	want, err := migrations.Latest()
	if err != nil {
		t.Fatal(err)
	}
	var got int32
	if err := pool.QueryRow(t.Context(), "SELECT version FROM "+migrations.VersionTable).Scan(&got); err != nil {
		t.Fatalf("read schema version: %v", err)
	}
	if got != want {
		t.Errorf("schema version %d, want %d", got, want)
	}
}

// TestParallelDatabases has many parallel tests create databases at once, and checks that
// each got a fresh one of its own and that all are dropped afterwards.
func TestParallelDatabases(t *testing.T) {
	const n = parallelTests
	var mu sync.Mutex
	names := make(map[string]bool)
	t.Run("group", func(t *testing.T) {
		for i := range n {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				pool := pgtest.NewPool(t)
				if _, err := pool.Exec(t.Context(), "CREATE TABLE mine (test int)"); err != nil {
					t.Fatalf("create table: %v", err)
				}
				if _, err := pool.Exec(t.Context(), "INSERT INTO mine VALUES ($1)", i); err != nil {
					t.Fatalf("insert: %v", err)
				}
				var name string
				if err := pool.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
					t.Fatalf("current_database: %v", err)
				}
				var rows int
				if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM mine").Scan(&rows); err != nil {
					t.Fatalf("count: %v", err)
				}
				if rows != 1 {
					t.Errorf("database %s holds %d rows, want only this test's one", name, rows)
				}
				mu.Lock()
				defer mu.Unlock()
				if names[name] {
					t.Errorf("database %s handed out twice", name)
				}
				names[name] = true
			})
		}
	})
	if len(names) != n {
		t.Fatalf("%d databases, want %d", len(names), n)
	}
	assertDropped(t, names)
}

// assertDropped fails unless none of the databases names exists any more.
func assertDropped(t *testing.T, names map[string]bool) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	list := make([]string, 0, len(names))
	for name := range names {
		list = append(list, name)
	}
	var left int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM pg_database WHERE datname = ANY($1)", list).Scan(&left); err != nil {
		t.Fatalf("look for databases: %v", err)
	}
	if left != 0 {
		t.Errorf("%d of the %d databases are left after their tests ended", left, len(names))
	}
}
