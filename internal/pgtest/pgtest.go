// Package pgtest gives each test a PostgreSQL database of its own, with the accessledger
// schema applied.
//
// A test binary that uses it starts one throwaway cluster (internal/pglauncher) on first
// use, tuned for speed over durability, or uses the server that TEST_DATABASE_URL names.
// The schema is migrated once into a template database; each test's database is a clone
// of it, made in milliseconds and dropped when the test ends. The package's TestMain must
// call Main, which stops the cluster when the tests are done:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
package pgtest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvURL names the environment variable with the connection string of a server to use
// instead of starting a cluster. Its user needs the CREATEDB privilege.
const EnvURL = "TEST_DATABASE_URL"

// clusterSettings trade durability, which a throwaway cluster does not need, for speed;
// max_connections leaves room for many parallel tests with a pool each.
// pg_stat_statements (in PostgreSQL's main Debian package) records the statements each
// test database runs, which TestHotPathPlans (cmd/accessledger) checks the plans of.
var clusterSettings = map[string]string{
	"fsync":                    "off",
	"synchronous_commit":       "off",
	"full_page_writes":         "off",
	"max_connections":          "300",
	"shared_preload_libraries": "pg_stat_statements",
}

const (
	setupTimeout   = 2 * time.Minute
	cleanupTimeout = 30 * time.Second
)

var (
	mainCalled atomic.Bool
	setupOnce  sync.Once
	shared     *server // nil until the first use, and after a failed setup
	setupErr   error
)

// Main runs the tests of m, then stops the cluster if one was started (with
// TEST_DATABASE_URL: drops the template database), and exits with the tests' code. Call
// it from TestMain.
func Main(m *testing.M) {
	mainCalled.Store(true)
	code := m.Run()
	if shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		err := shared.close(ctx)
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
			if code == 0 {
				code = 1
			}
		}
	}
	os.Exit(code)
}

// NewDatabase creates a database for the test, a clone of the migrated template, and
// answers its connection string. The database is dropped when the test ends, with any
// sessions still connected to it. It fails the test when there is no server to use: no
// PostgreSQL binaries and no TEST_DATABASE_URL. Safe for parallel tests.
func NewDatabase(t testing.TB) string {
	t.Helper()
	s := sharedServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	name, err := s.createDatabase(ctx, t.Name())
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := s.dropDatabase(ctx, name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	connString, err := withDatabase(s.connString, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return connString
}

// NewPool is NewDatabase answering a connection pool to the new database. The pool is
// closed when the test ends, before the database is dropped.
func NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	connString := NewDatabase(t)
	pool, err := pgxpool.New(context.Background(), connString)
	if err != nil {
		t.Fatalf("pgtest: open pool: %v", err)
	}
	// Cleanups run last-in first-out: this one before NewDatabase's drop.
	t.Cleanup(pool.Close)
	return pool
}

// sharedServer answers the server of this test binary, setting it up on first use.
func sharedServer(t testing.TB) *server {
	t.Helper()
	if !mainCalled.Load() {
		t.Fatal("pgtest: the package's TestMain must call pgtest.Main(m), which stops the test cluster")
	}
	setupOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		shared, setupErr = setup(ctx)
	})
	if setupErr != nil {
		t.Fatalf("pgtest: %v", setupErr)
	}
	return shared
}

// setup starts the cluster, or connects to TEST_DATABASE_URL, and prepares the template.
func setup(ctx context.Context) (*server, error) {
	if url := os.Getenv(EnvURL); url != "" {
		s, err := openServer(ctx, url)
		if err != nil {
			return nil, fmt.Errorf("use %s: %w", EnvURL, err)
		}
		return s, nil
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := startServer(ctx, logger)
	if err != nil {
		return nil, fmt.Errorf("%w\n(tests can also use a running server: set %s)", err, EnvURL)
	}
	return s, nil
}
