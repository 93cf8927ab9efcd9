package pgtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/internal/pglauncher"
	"accessledger/migrations"
)

// server is the PostgreSQL server of a test binary, with its migrated template database.
type server struct {
	connString string        // the server's maintenance database
	admin      *pgxpool.Pool // to connString: creates and drops the databases
	template   string

	cluster *pglauncher.Cluster // nil when TEST_DATABASE_URL names the server
	dataDir string
}

// startServer starts a throwaway cluster in a new temporary folder and prepares it.
func startServer(ctx context.Context, logger *slog.Logger) (*server, error) {
	// A folder of its own, not nested in a private one, so that the postgres OS user can
	// reach it when the tests run as root.
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("create cluster folder: %w", err)
	}
	cluster, err := pglauncher.Start(ctx, pglauncher.Config{DataDir: dir, Settings: clusterSettings, Logger: logger})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s, err := openServer(ctx, cluster.ConnString("postgres"))
	if err != nil {
		return nil, errors.Join(err, cluster.Stop(ctx), os.RemoveAll(dir))
	}
	s.cluster, s.dataDir = cluster, dir
	return s, nil
}

// openServer connects to the server at connString and creates the template there.
func openServer(ctx context.Context, connString string) (*server, error) {
	admin, err := pgxpool.New(ctx, connString)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	s := &server{
		connString: connString,
		admin:      admin,
		template:   fmt.Sprintf("pgtest_template_%d_%08x", os.Getpid(), rand.Uint32()),
	}
	if err := s.createTemplate(ctx); err != nil {
		admin.Close()
		return nil, err
	}
	return s, nil
}

// createTemplate creates the template database and migrates it.
func (s *server) createTemplate(ctx context.Context) error {
	if _, err := s.admin.Exec(ctx, "CREATE DATABASE "+quote(s.template)); err != nil {
		return fmt.Errorf("create template database %s: %w", s.template, err)
	}
	connString, err := withDatabase(s.connString, s.template)
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return fmt.Errorf("connect to template database %s: %w", s.template, err)
	}
	err = migrations.Migrate(ctx, conn)
	// Cloning fails while anyone is connected to the template: close, and keep others out.
	err = errors.Join(err, conn.Close(ctx))
	if err != nil {
		return fmt.Errorf("migrate template database %s: %w", s.template, err)
	}
	if _, err := s.admin.Exec(ctx, "ALTER DATABASE "+quote(s.template)+" WITH ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("close template database %s to connections: %w", s.template, err)
	}
	return nil
}

// createDatabase clones the template into a new database named after the test.
func (s *server) createDatabase(ctx context.Context, testName string) (string, error) {
	name := databaseName(testName)
	if _, err := s.admin.Exec(ctx, "CREATE DATABASE "+quote(name)+" TEMPLATE "+quote(s.template)); err != nil {
		return "", fmt.Errorf("create database %s from template %s: %w", name, s.template, err)
	}
	return name, nil
}

// dropDatabase drops the database name, ending the sessions still connected to it.
func (s *server) dropDatabase(ctx context.Context, name string) error {
	if _, err := s.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+quote(name)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// close releases the server: it stops the cluster and removes its folder, or, on a server
// of TEST_DATABASE_URL, drops the template.
func (s *server) close(ctx context.Context) error {
	if s.cluster == nil {
		err := s.dropDatabase(ctx, s.template)
		s.admin.Close()
		return err
	}
	s.admin.Close()
	if err := s.cluster.Stop(ctx); err != nil {
		return err
	}
	if err := os.RemoveAll(s.dataDir); err != nil {
		return fmt.Errorf("remove cluster folder: %w", err)
	}
	return nil
}

// maxNameFromTest is how much of a test's name goes into its database's name, leaving
// room for the random suffix within PostgreSQL's 63 bytes.
const maxNameFromTest = 40

// databaseName answers a new database name that tells which test it belongs to, should
// it be left behind on a shared server.
func databaseName(testName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		if b.Len() == maxNameFromTest {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return fmt.Sprintf("t_%s_%08x", b.String(), rand.Uint32())
}

func quote(name string) string { return pgx.Identifier{name}.Sanitize() }

// withDatabase answers connString, in URL or keyword/value form, with its database
// replaced by name.
func withDatabase(connString, name string) (string, error) {
	if !strings.HasPrefix(connString, "postgres://") && !strings.HasPrefix(connString, "postgresql://") {
		// In keyword/value form, a later keyword overrides an earlier one.
		return connString + " dbname='" + name + "'", nil
	}
	u, err := url.Parse(connString)
	if err != nil {
		return "", fmt.Errorf("parse connection URL: %w", err)
	}
	u.Path, u.RawPath = "/"+name, ""
	return u.String(), nil
}
