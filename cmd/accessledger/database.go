package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/internal/pglauncher"
	"accessledger/migrations"
)

const (
	// databaseName is the database that a private cluster holds accessledger's data in.
	databaseName = "accessledger"
	// clusterStopTimeout bounds stopping a private cluster: pglauncher escalates from a
	// fast to an immediate shutdown and to a kill within it.
	clusterStopTimeout = 45 * time.Second
)

// commonFlags are the flags that every command has: where its database is, and how much it logs.
type commonFlags struct {
	dataDir       string
	url           string
	eventstoreURL string
	logLevel      slog.Level
}

func (f *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dataDir, "data-dir", "./.accessledger/pgdata",
		"folder of the private PostgreSQL cluster, started when no database URL is given")
	fs.StringVar(&f.url, "database-url", os.Getenv("DATABASE_URL"),
		"PostgreSQL connection URL (default $DATABASE_URL); empty starts a private cluster in --data-dir")
	fs.StringVar(&f.eventstoreURL, "eventstore-url", os.Getenv("EVENTSTORE_URL"),
		"KurrentDB/EventStoreDB connection string (kurrentdb:// or esdb://; default $EVENTSTORE_URL) to keep the events in; "+
			"empty keeps them in PostgreSQL")
	fs.TextVar(&f.logLevel, "log-level", slog.LevelInfo, "log level: debug, info, warn or error")
}

// database is the PostgreSQL database that a command works on.
type database struct {
	url     string
	cluster *pglauncher.Cluster // nil when the database URL names the server
}

// openDatabase answers the database of the URL flag, or, without one, starts a private
// cluster in the data dir and creates the accessledger database in it.
func openDatabase(ctx context.Context, f commonFlags, e *env, log *slog.Logger) (*database, error) {
	if f.url != "" {
		// Not the URL itself: it may hold a password.
		log.Info("using the PostgreSQL server of the database URL")
		return &database{url: f.url}, nil
	}
	cluster, err := pglauncher.Start(ctx, pglauncher.Config{DataDir: f.dataDir, Logger: log, SearchPattern: e.pgSearch})
	if err != nil {
		return nil, err
	}
	db := &database{url: cluster.ConnString(databaseName), cluster: cluster}
	if err := cluster.CreateDatabase(ctx, databaseName); err != nil {
		db.close(ctx, log)
		return nil, err
	}
	log.Info("private PostgreSQL cluster ready; it stops when accessledger does",
		"data_dir", cluster.DataDir(), "log", cluster.LogPath(), "url", db.url)
	return db, nil
}

// close stops the private cluster, if there is one. It runs on its own clock: ctx has
// usually ended by then (the signal that stops a command ends it).
func (db *database) close(ctx context.Context, log *slog.Logger) {
	if db.cluster == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), clusterStopTimeout)
	defer cancel()
	if err := db.cluster.Stop(ctx); err != nil {
		log.Error("stop the private PostgreSQL cluster", "err", err)
	}
}

// minPoolConns is the pool size unless the URL sets pool_max_conns: pgxpool's default,
// max(4, cores), leaves a small machine's requests queueing behind the projectors (one
// connection each while they commit) and a rebuild's parallel batches.
const minPoolConns = 16

// openPool opens a connection pool to url and checks that the server answers.
func openPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	config, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		config.MaxConns = max(config.MaxConns, minPoolConns)
	}
	pool, err := pgxpool.NewWithConfig(ctx, config)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return pool, nil
}

// migrate brings the database's schema up to date, on a connection of pool.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: acquire connection: %w", err)
	}
	defer conn.Release()
	return migrations.Migrate(ctx, conn.Conn())
}

// withDatabase opens the database of flags (starting the private cluster when no URL is
// given) and a pool on it, calls fn, and then releases the pool and stops the cluster.
func withDatabase(ctx context.Context, e *env, flags commonFlags, log *slog.Logger,
	fn func(ctx context.Context, pool *pgxpool.Pool) error,
) error {
	db, err := openDatabase(ctx, flags, e, log)
	if err != nil {
		return err
	}
	defer db.close(ctx, log)
	pool, err := openPool(ctx, db.url)
	if err != nil {
		return err
	}
	defer pool.Close()
	return fn(ctx, pool)
}
