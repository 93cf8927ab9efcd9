package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
)

// envPrefix is the prefix of the environment variables that set flags: --data-dir is
// ACCESSLEDGER_DATA_DIR.
const envPrefix = "ACCESSLEDGER"

// env is what the commands take from the process around them; tests replace parts of it.
type env struct {
	stdout, stderr io.Writer
	// pgSearch is the glob of folders searched for PostgreSQL binaries after PATH; empty
	// means pglauncher.DefaultSearchPattern.
	pgSearch string
	// serving, when not nil, is told the address that serve listens on, once it does.
	serving func(net.Addr)
	// openLog opens the event log that verify walks and the projections commands read;
	// nil means the Postgres event store.
	openLog logOpener
}

// exitError is an error that ends the program with a given status.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// run runs the command line args (without the program name) and answers the exit
// status: 0 on success, 2 for a usage error, 1 (or the command's own status) on failure.
// Without a subcommand it serves: "accessledger --addr :9090" is "accessledger serve
// --addr :9090".
func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && !isHelpFlag(args[0])) {
		args = append([]string{"serve"}, args...)
	}
	if e.openLog == nil {
		e.openLog = openSelectedLog
	}
	root := rootCommand(&e)
	if err := root.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(e.stderr, "accessledger: %v\n", err)
		return 2
	}
	err := root.Run(ctx)
	var exit *exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		// ffcli has printed the usage; say what was wrong with the command line.
		if err != flag.ErrHelp {
			fmt.Fprintf(e.stderr, "accessledger: %v\n", err)
		}
		return 2
	case errors.As(err, &exit):
		fmt.Fprintf(e.stderr, "accessledger: %v\n", err)
		return exit.code
	default:
		fmt.Fprintf(e.stderr, "accessledger: %v\n", err)
		return 1
	}
}

func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "--h":
		return true
	}
	return false
}

func rootCommand(e *env) *ffcli.Command {
	fs := newFlagSet("accessledger", e)
	return &ffcli.Command{
		ShortUsage: "accessledger [serve|migrate|projections|verify|token|workspace] [flags]",
		LongHelp: "accessledger is an event-sourced user and access management backend.\n" +
			"Without a subcommand it serves. Every flag can also be set through an environment\n" +
			"variable: ACCESSLEDGER_ and the flag's name in capitals, dashes as underscores.",
		FlagSet: fs,
		Subcommands: []*ffcli.Command{serveCommand(e), migrateCommand(e), projectionsCommand(e), verifyCommand(e),
			tokenCommand(e), workspaceCommand(e)},
		// Reached only with an argument that names no subcommand.
		Exec: func(_ context.Context, args []string) error {
			return fmt.Errorf("unknown command %q: %w", strings.Join(args, " "), flag.ErrHelp)
		},
	}
}

// newFlagSet answers a flag set that reports parse errors to the caller rather than
// exiting, and prints its usage to e's stderr.
func newFlagSet(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// ffOptions are the ff options of every command: flags also come from ACCESSLEDGER_*.
func ffOptions() []ff.Option {
	return []ff.Option{ff.WithEnvVarPrefix(envPrefix)}
}

// noArgs fails with the command's usage when it got positional arguments.
func noArgs(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected arguments %q: %w", args, flag.ErrHelp)
	}
	return nil
}

// newLogger answers the logger of a command, writing text lines to w.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
