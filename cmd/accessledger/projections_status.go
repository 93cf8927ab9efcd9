package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterbourgon/ff/v3/ffcli"

	"accessledger/eventstore"
	"accessledger/projections"
	"accessledger/projections/readmodels"
	"accessledger/scheduler"
)

// projectionsStatusCmd is `projections status`: it prints the state of every projection.
type projectionsStatusCmd struct {
	e      *env
	flags  commonFlags
	asJSON bool
}

func projectionsStatusCommand(e *env) *ffcli.Command {
	c := &projectionsStatusCmd{e: e}
	fs := newFlagSet("projections status", e)
	fs.BoolVar(&c.asJSON, "json", false, "print a JSON array of the statuses instead of a table")
	c.flags.register(fs)
	return &ffcli.Command{
		Name:       "status",
		ShortUsage: "accessledger projections status [flags]",
		ShortHelp:  "print the state, position and lag of every projection",
		LongHelp: "Prints one line per projection: its version (and this binary's, when they differ),\n" +
			"state (running, catching_up, rebuilding or failed), position in the event log, lag\n" +
			"in events and seconds, events applied, and why a failed one stopped; then the scheduler's\n" +
			"last run and backlog (without --json). Exits 0 whatever\n" +
			"the states are; 1 when they could not be read. It does not change the schema.",
		FlagSet: fs,
		Options: ffOptions(),
		Exec:    c.exec,
	}
}

func (c *projectionsStatusCmd) exec(ctx context.Context, args []string) error {
	if err := noArgs(args); err != nil {
		return err
	}
	log := newLogger(c.e.stderr, c.flags.logLevel)
	return onEventLog(ctx, c.e, c.flags, log, func(ctx context.Context, pool *pgxpool.Pool, events eventstore.LogReader) error {
		statuses, err := projections.ReadStatus(ctx, pool, events, readmodels.All())
		if err != nil {
			return fmt.Errorf("read projection status: %w", err)
		}
		if c.asJSON {
			return printStatusJSON(c.e.stdout, statuses)
		}
		if err := printStatusTable(c.e.stdout, statuses); err != nil {
			return err
		}
		sched, err := scheduler.ReadStatus(ctx, pool, time.Now())
		if err != nil {
			return fmt.Errorf("read the scheduler's status: %w", err)
		}
		return printScheduler(c.e.stdout, sched)
	})
}

// printStatusJSON prints statuses as one indented JSON array; none is [], not null.
func printStatusJSON(w io.Writer, statuses []projections.Status) error {
	if statuses == nil {
		statuses = []projections.Status{}
	}
	b, err := json.MarshalIndent(statuses, "", "  ")
	if err != nil {
		return fmt.Errorf("encode projection status: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// printStatusTable prints statuses as an aligned table, one projection a line.
func printStatusTable(w io.Writer, statuses []projections.Status) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tSTATE\tPOSITION\tLAG EVENTS\tLAG SECONDS\tEVENTS APPLIED\tDETAIL")
	for _, s := range statuses {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%.1f\t%d\t%s\n",
			s.Name, statusVersion(s), s.State, statusPosition(s.Position), s.LagEvents, s.LagSeconds, s.EventsApplied,
			statusDetail(s))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("print projection status: %w", err)
	}
	return nil
}

// printScheduler prints the scheduler's line under the table: who runs it, its last run
// and its backlog (items due and not recorded yet).
func printScheduler(w io.Writer, st scheduler.Status) error {
	owner, last := st.LeaseOwner, "never"
	if owner == "" {
		owner = "no instance"
	}
	if st.LastRunAt != nil {
		last = fmt.Sprintf("%s (%d recorded)", st.LastRunAt.UTC().Format(time.RFC3339), st.LastRecorded)
	}
	line := fmt.Sprintf("\nscheduler: run by %s; last run %s; backlog %d", owner, last, st.Backlog)
	if st.LastError != "" {
		line += "; last error: " + strings.Join(strings.Fields(st.LastError), " ")
	}
	if _, err := fmt.Fprintln(w, line); err != nil {
		return fmt.Errorf("print the scheduler's status: %w", err)
	}
	return nil
}

// statusVersion answers the live tables' version, and this binary's when it differs:
// the tables need a rebuild to serve the new code's shape.
func statusVersion(s projections.Status) string {
	v := strconv.Itoa(s.Version)
	if s.Generation == 0 {
		v = "-" // no tables yet
	}
	if s.CodeVersion != s.Version {
		v += fmt.Sprintf(" (code %d)", s.CodeVersion)
	}
	return v
}

func statusPosition(p eventstore.Position) string {
	if p.IsZero() {
		return "-" // nothing applied yet
	}
	return p.String()
}

// statusDetail answers what an operator needs beyond the numbers: why a failed
// projection stopped, and how far a rebuild under way got. One line, for the table.
func statusDetail(s projections.Status) string {
	var parts []string
	if s.Generation == 0 {
		parts = append(parts, "not installed yet: serve installs it")
	}
	if s.State == projections.StateFailed {
		msg := s.LastError
		if s.ErrorStream != "" {
			msg += fmt.Sprintf(" (stream %s, position %s)", s.ErrorStream, s.ErrorPosition)
		}
		parts = append(parts, "error: "+msg)
	}
	if r := s.Rebuild; r != nil {
		parts = append(parts, fmt.Sprintf("rebuilding generation %d (version %d): %d events applied, by %s",
			r.Generation, r.Version, r.Events, r.Owner))
	}
	return strings.Join(strings.Fields(strings.Join(parts, "; ")), " ")
}
