// Package pglauncher runs a private PostgreSQL cluster from the PostgreSQL binaries
// installed on the machine, as a child process of the caller: the development database of
// `accessledger serve` when no DATABASE_URL is given, and the throwaway cluster of the
// tests (internal/pgtest).
//
// The server listens on 127.0.0.1, on a free port, and on a unix socket in its data dir,
// and lets its superuser "postgres" in without a password: it is for one machine's own
// use. As root, the cluster runs as the "postgres" OS user, since PostgreSQL refuses to run
// as root. On Linux the server shuts down by itself when the process that started it dies.
package pglauncher

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Config says which cluster Start runs, and how.
type Config struct {
	// DataDir is the cluster's folder. Start creates it and runs initdb when it is missing
	// or empty, and starts the cluster in it otherwise. The server's output goes to the
	// file postgres.log in it.
	DataDir string
	// Settings are extra server settings (postgres -c name=value), e.g. fsync=off for
	// tests. With fsync=off, initdb does not sync its files either.
	Settings map[string]string
	// Logger receives the launcher's progress; nil discards it.
	Logger *slog.Logger
	// SearchPattern is the glob of folders searched for the binaries when they are not on
	// PATH; empty means DefaultSearchPattern.
	SearchPattern string
}

// Cluster is a running PostgreSQL server that Start launched. Its methods are safe for
// concurrent use.
type Cluster struct {
	dataDir string
	port    int
	logPath string
	log     *slog.Logger
	proc    *os.Process

	exited  chan struct{} // closed once the server process has been reaped
	exitErr error         // what waiting for the process answered; set before exited closes

	stopOnce sync.Once
	stopErr  error
}

// Start runs the cluster that cfg describes and returns once it accepts connections. ctx
// bounds the start only: the server keeps running after ctx ends, until Stop. On failure
// nothing is left running, and the error includes the last lines of the server's log.
func Start(ctx context.Context, cfg Config) (*Cluster, error) {
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	bins, err := FindBinaries(cfg.SearchPattern)
	if err != nil {
		return nil, fmt.Errorf("start postgres in %s: %w", cfg.DataDir, err)
	}
	owner, err := serverUser()
	if err != nil {
		return nil, fmt.Errorf("start postgres in %s: %w", cfg.DataDir, err)
	}
	noSync := cfg.Settings["fsync"] == "off"
	if err := prepareDataDir(ctx, cfg.DataDir, bins, owner, noSync, cfg.Logger); err != nil {
		return nil, fmt.Errorf("start postgres in %s: %w", cfg.DataDir, err)
	}
	for attempt := 1; ; attempt++ {
		c, err := launch(ctx, cfg, bins, owner)
		if err == nil {
			cfg.Logger.Info("PostgreSQL cluster running", "data_dir", c.dataDir, "port", c.port, "pid", c.PID())
			return c, nil
		}
		if !errors.Is(err, errPortTaken) || attempt == portAttempts {
			return nil, fmt.Errorf("start postgres in %s: %w", cfg.DataDir, err)
		}
		cfg.Logger.Debug("PostgreSQL could not bind its port, trying another", "err", err)
	}
}

// normalize fills in the defaults and makes DataDir absolute, since the server runs in a
// folder of its own.
func (cfg Config) normalize() (Config, error) {
	if cfg.DataDir == "" {
		return cfg, errors.New("start postgres: no data dir given")
	}
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return cfg, fmt.Errorf("start postgres in %s: %w", cfg.DataDir, err)
	}
	cfg.DataDir = dir
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}

// ConnString answers the URL that connects to database dbname of the cluster as the
// superuser postgres, over TCP.
func (c *Cluster) ConnString(dbname string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, url.PathEscape(dbname))
}

// Port answers the TCP port the server listens on, on 127.0.0.1.
func (c *Cluster) Port() int { return c.port }

// PID answers the process id of the server (the postmaster).
func (c *Cluster) PID() int { return c.proc.Pid }

// DataDir answers the absolute path of the cluster's folder.
func (c *Cluster) DataDir() string { return c.dataDir }

// LogPath answers the file that receives the server's output.
func (c *Cluster) LogPath() string { return c.logPath }

// duplicateDatabase is the SQLSTATE of CREATE DATABASE for a name that is taken.
const duplicateDatabase = "42P04"

// CreateDatabase creates the database name, owned by postgres, unless it exists already.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, c.ConnString("postgres"))
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// Trying and accepting "exists" is free of the race that checking first would have.
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == duplicateDatabase {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}
