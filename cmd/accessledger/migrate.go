package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterbourgon/ff/v3/ffcli"

	"accessledger/migrations"
)

// migrateCmd is the migrate command: it applies the schema and exits.
type migrateCmd struct {
	e     *env
	flags commonFlags
}

func migrateCommand(e *env) *ffcli.Command {
	c := &migrateCmd{e: e}
	fs := newFlagSet("migrate", e)
	c.flags.register(fs)
	return &ffcli.Command{
		Name:       "migrate",
		ShortUsage: "accessledger migrate [flags]",
		ShortHelp:  "bring the database schema up to date and print its version",
		FlagSet:    fs,
		Options:    ffOptions(),
		Exec:       c.exec,
	}
}

func (c *migrateCmd) exec(ctx context.Context, args []string) error {
	if err := noArgs(args); err != nil {
		return err
	}
	log := newLogger(c.e.stderr, c.flags.logLevel)
	return withDatabase(ctx, c.e, c.flags, log, func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := migrate(ctx, pool); err != nil {
			return err
		}
		version, err := schemaVersion(ctx, pool)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.e.stdout, "schema version %d\n", version)
		return nil
	})
}

// schemaVersion answers the version that tern recorded for the database's schema.
func schemaVersion(ctx context.Context, pool *pgxpool.Pool) (int32, error) {
	var version int32
	if err := pool.QueryRow(ctx, "SELECT version FROM "+migrations.VersionTable).Scan(&version); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return version, nil
}
