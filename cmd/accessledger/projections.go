package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterbourgon/ff/v3/ffcli"

	"accessledger/eventstore"
	"accessledger/migrations"
	"accessledger/projections/readmodels"
)

// projectionsCommand is the projections command group: status and rebuild of the read
// models. Neither changes the schema: they ask for `accessledger migrate` when it is
// missing or behind.
func projectionsCommand(e *env) *ffcli.Command {
	return &ffcli.Command{
		Name:       "projections",
		ShortUsage: "accessledger projections <status|rebuild> [flags]",
		ShortHelp:  "show the state of the read models, or rebuild them",
		FlagSet:    newFlagSet("projections", e),
		Subcommands: []*ffcli.Command{
			projectionsStatusCommand(e),
			projectionsRebuildCommand(e),
		},
		Exec: func(_ context.Context, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("projections needs a subcommand: %w", flag.ErrHelp)
			}
			return fmt.Errorf("unknown command %q: %w", "projections "+strings.Join(args, " "), flag.ErrHelp)
		},
	}
}

// onEventLog opens the database of flags, checks that its schema is up to date, opens
// the event log on it and calls fn; it releases them all when fn returns.
func onEventLog(ctx context.Context, e *env, flags commonFlags, log *slog.Logger,
	fn func(ctx context.Context, pool *pgxpool.Pool, events eventstore.LogReader) error,
) error {
	return withDatabase(ctx, e, flags, log, func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := requireSchema(ctx, pool); err != nil {
			return err
		}
		if err := bindEventLog(ctx, flags.eventstoreURL, pool); err != nil {
			return err
		}
		events, closeLog, err := e.openLog(ctx, flags.eventstoreURL, pool, log)
		if err != nil {
			return fmt.Errorf("open event log: %w", err)
		}
		defer closeLog()
		return fn(ctx, pool, events)
	})
}

// undefinedTable is PostgreSQL's error code for a table that does not exist.
const undefinedTable = "42P01"

// requireSchema fails, saying to run `accessledger migrate`, unless the database's
// schema is at least the version this binary brings. It only reads: commands that
// inspect or repair read models must not change the schema behind an operator's back.
func requireSchema(ctx context.Context, pool *pgxpool.Pool) error {
	latest, err := migrations.Latest()
	if err != nil {
		return err
	}
	version, err := schemaVersion(ctx, pool)
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == undefinedTable:
		return errors.New("the database has no accessledger schema: run `accessledger migrate` first")
	case err != nil:
		return err
	case version < latest:
		return fmt.Errorf("the database schema is at version %d, this accessledger needs %d: run `accessledger migrate` first",
			version, latest)
	}
	return nil
}

// projectionNames answers the names of every projection, sorted, for messages.
func projectionNames() []string {
	var names []string
	for _, p := range readmodels.All() {
		names = append(names, p.Name())
	}
	slices.Sort(names)
	return names
}
