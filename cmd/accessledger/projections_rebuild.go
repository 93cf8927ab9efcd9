package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterbourgon/ff/v3/ffcli"

	"accessledger/eventstore"
	"accessledger/projections"
	"accessledger/projections/readmodels"
)

// projectionsRebuildCmd is `projections rebuild`: it rebuilds projections together,
// reading the event log once for all of them, each into a new generation that is swapped
// in when complete.
type projectionsRebuildCmd struct {
	e         *env
	fs        *flag.FlagSet
	flags     commonFlags
	all       bool
	force     bool
	batchSize int
}

func projectionsRebuildCommand(e *env) *ffcli.Command {
	c := &projectionsRebuildCmd{e: e, fs: newFlagSet("projections rebuild", e)}
	c.fs.BoolVar(&c.all, "all", false, "rebuild every projection")
	c.fs.BoolVar(&c.force, "force", false,
		"swap the rebuilt tables in even when they differ from the live ones of the same version")
	c.fs.IntVar(&c.batchSize, "batch-size", 0, "events applied per transaction (0: the projections' default, 2000)")
	c.flags.register(c.fs)
	return &ffcli.Command{
		Name:       "rebuild",
		ShortUsage: "accessledger projections rebuild [flags] NAME [NAME...] | --all",
		ShortHelp:  "rebuild projections from the start of the event log",
		LongHelp: "Rebuilds the named projections together from the start of the event log (read\n" +
			"once for all of them) into new tables while the live ones keep serving, compares\n" +
			"the two when a projection's version did not change, and swaps the new ones in, each\n" +
			"projection independently of the others. It shows a progress bar on a terminal, and\n" +
			"logs progress lines otherwise. A swap that fails (a mismatch) leaves the others\n" +
			"swapped in. It does not change the schema.",
		FlagSet: c.fs,
		Options: ffOptions(),
		Exec:    c.exec,
	}
}

func (c *projectionsRebuildCmd) exec(ctx context.Context, args []string) error {
	names, err := c.parseArgs(args)
	if err != nil || names == nil {
		return err
	}
	todo, err := c.selected(names)
	if err != nil {
		return err
	}
	log := newLogger(c.e.stderr, c.flags.logLevel)
	return onEventLog(ctx, c.e, c.flags, log, func(ctx context.Context, pool *pgxpool.Pool, events eventstore.LogReader) error {
		return c.rebuild(ctx, pool, events, todo, log)
	})
}

// parseArgs answers the projection names among args, parsing the flags that follow a
// name too, so that `rebuild members --force` means what it says (package flag stops at
// the first name). It answers nil names and no error when -h asked for the usage, which
// the flag set has printed.
func (c *projectionsRebuildCmd) parseArgs(args []string) ([]string, error) {
	names := []string{}
	for len(args) > 0 {
		names = append(names, args[0])
		if err := c.fs.Parse(args[1:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil
			}
			// The flag set has printed the error and the usage.
			return nil, &exitError{2, err}
		}
		args = c.fs.Args()
	}
	return names, nil
}

// selected answers the projections that names and --all ask for, or a usage error.
func (c *projectionsRebuildCmd) selected(names []string) ([]projections.Projection, error) {
	valid := strings.Join(projectionNames(), ", ")
	switch {
	case c.batchSize < 0:
		return nil, fmt.Errorf("--batch-size %d: want 0 or more: %w", c.batchSize, flag.ErrHelp)
	case c.all && len(names) > 0:
		return nil, fmt.Errorf("give projection names or --all, not both: %w", flag.ErrHelp)
	case c.all:
		todo := readmodels.All()
		slices.SortFunc(todo, func(a, b projections.Projection) int { return strings.Compare(a.Name(), b.Name()) })
		return todo, nil
	case len(names) == 0:
		return nil, fmt.Errorf("name the projections to rebuild (%s), or give --all: %w", valid, flag.ErrHelp)
	}
	var todo []projections.Projection
	for _, name := range names {
		p, ok := readmodels.ByName(name)
		if !ok {
			return nil, fmt.Errorf("unknown projection %q; the projections are %s: %w", name, valid, flag.ErrHelp)
		}
		if !slices.ContainsFunc(todo, func(q projections.Projection) bool { return q.Name() == name }) {
			todo = append(todo, p)
		}
	}
	return todo, nil
}

// rebuild rebuilds todo together, showing their progress, and logs each result.
func (c *projectionsRebuildCmd) rebuild(ctx context.Context, pool *pgxpool.Pool, events eventstore.LogReader,
	todo []projections.Projection, log *slog.Logger,
) error {
	names := make([]string, len(todo))
	for i, p := range todo {
		names[i] = p.Name()
	}
	label := strings.Join(names, ", ")
	progress := newRebuildProgress(c.e.stderr, label, log)
	log.Info("rebuilding projections", "projections", label)
	// RebuildAll logs its warnings; its own lines at the end say less than the ones below.
	quiet := newLogger(c.e.stderr, max(c.flags.logLevel, slog.LevelWarn))
	results, err := projections.RebuildAll(ctx, pool, events, todo, projections.RebuildOptions{
		BatchSize: c.batchSize, Force: c.force, Logger: quiet, Owner: rebuildOwner(),
		// The builds move in step, page by page: the first one's count is everyone's.
		Progress: func(p projections.RebuildProgress) {
			if p.Projection == names[0] {
				progress.update(p)
			}
		},
	})
	progress.finish()
	for _, res := range results {
		log.Info("rebuilt projection", "projection", res.Projection, "generation", res.Generation, "version", res.Version,
			"events", res.Events, "elapsed", res.Elapsed.Round(time.Millisecond),
			"events_per_second", eventsPerSecond(res.Events, res.Elapsed), "compared", res.Compared)
	}
	if err != nil {
		return rebuildError(label, err)
	}
	return nil
}

// rebuildError says what went wrong with the rebuild of name and what to do about it.
func rebuildError(name string, err error) error {
	switch {
	case errors.Is(err, projections.ErrRebuildRunning):
		return fmt.Errorf("rebuild %s: %w; let it finish (`accessledger projections status` shows how far it got)",
			name, err)
	case errors.Is(err, projections.ErrMismatch):
		return fmt.Errorf("rebuild %s: %w although its version did not change, so the live tables keep serving; "+
			"look for a bug or non-determinism in the projection, or swap anyway with --force", name, err)
	}
	return fmt.Errorf("rebuild %s: %w", name, err)
}

// rebuildOwner names this process in the checkpoint of the rebuild it runs, so that
// `projections status` tells an operator where a rebuild under way comes from.
func rebuildOwner() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown host"
	}
	return fmt.Sprintf("accessledger projections rebuild on %s (pid %d)", host, os.Getpid())
}
