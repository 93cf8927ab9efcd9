package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterbourgon/ff/v3/ffcli"

	"accessledger/eventstore"
)

// logOpener opens the event log on the database behind pool; closeLog releases it.
type logOpener func(ctx context.Context, eventstoreURL string, pool *pgxpool.Pool, log *slog.Logger) (events eventstore.LogReader, closeLog func(), err error)

// Exit statuses of verify: a broken chain is not a failure to verify.
const (
	exitBroken = 1
	exitFailed = 2
)

// verifyCmd is the verify command: it checks every stream's versions and hash chain.
type verifyCmd struct {
	e     *env
	flags commonFlags
}

func verifyCommand(e *env) *ffcli.Command {
	c := &verifyCmd{e: e}
	fs := newFlagSet("verify", e)
	c.flags.register(fs)
	return &ffcli.Command{
		Name:       "verify",
		ShortUsage: "accessledger verify [flags]",
		ShortHelp:  "check the hash chain of every stream of the event log",
		LongHelp: "Walks the whole event log and prints each stream whose stored history no longer\n" +
			"proves itself. Exits 0 when every chain holds, 1 when a link is broken, 2 when\n" +
			"the log could not be read.",
		FlagSet: fs,
		Options: ffOptions(),
		Exec:    c.exec,
	}
}

func (c *verifyCmd) exec(ctx context.Context, args []string) error {
	if err := noArgs(args); err != nil {
		return err
	}
	log := newLogger(c.e.stderr, c.flags.logLevel)
	err := withDatabase(ctx, c.e, c.flags, log, func(ctx context.Context, pool *pgxpool.Pool) error {
		events, closeLog, err := c.e.openLog(ctx, c.flags.eventstoreURL, pool, log)
		if err != nil {
			return fmt.Errorf("open event log: %w", err)
		}
		defer closeLog()
		return c.verify(ctx, events)
	})
	// Whatever kept verify from reading the log is a failure to verify, not a break.
	var exit *exitError
	if err != nil && !errors.As(err, &exit) {
		return &exitError{exitFailed, err}
	}
	return err
}

// verify prints each broken link as Verify finds it, then a summary line.
func (c *verifyCmd) verify(ctx context.Context, events eventstore.LogReader) error {
	report, err := eventstore.Verify(ctx, events, func(b eventstore.BrokenLink) {
		fmt.Fprintf(c.e.stdout, "BROKEN %s\n", b)
	})
	if err != nil {
		return &exitError{exitFailed, err}
	}
	fmt.Fprintf(c.e.stdout, "verified %d events in %d streams: %d broken\n", report.Events, report.Streams, len(report.Broken))
	if len(report.Broken) > 0 {
		return &exitError{exitBroken, fmt.Errorf("verify: %d streams have a broken hash chain", len(report.Broken))}
	}
	return nil
}
