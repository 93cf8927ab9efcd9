package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
	"accessledger/projections"
	"accessledger/projections/readmodels"
)

// TestProjectionsCommandLine checks the usage errors of the projections commands, which
// are found before any database is opened.
func TestProjectionsCommandLine(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStderr []string
	}{
		{"no subcommand", []string{"projections"}, []string{"needs a subcommand", "status", "rebuild"}},
		{"unknown subcommand", []string{"projections", "reset"}, []string{`unknown command "projections reset"`}},
		{"status argument", []string{"projections", "status", "members"}, []string{`unexpected arguments ["members"]`}},
		{"rebuild nothing", []string{"projections", "rebuild"}, []string{"name the projections to rebuild", "--all"}},
		{"unknown projection", []string{"projections", "rebuild", "members", "nope"},
			[]string{`unknown projection "nope"`, "members", "licenses", "access"}},
		{"names and all", []string{"projections", "rebuild", "--all", "members"}, []string{"not both"}},
		{"flag after name", []string{"projections", "rebuild", "members", "--nope"}, []string{"flag provided but not defined: -nope"}},
		{"negative batch", []string{"projections", "rebuild", "--batch-size", "-1", "members"}, []string{"--batch-size -1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(t.Context(), tt.args, env{stdout: io.Discard, stderr: &stderr})
			if code != 2 {
				t.Errorf("exit status %d, want 2; stderr:\n%s", code, stderr.String())
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
		})
	}
}

func TestProjectionsStatus(t *testing.T) {
	url := pgtest.NewDatabase(t)
	appendEvents(t, url)

	out, code := runCommand(t, "projections", "status", "--database-url", url)
	if code != 0 {
		t.Fatalf("status: exit status %d\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out.stdout), "\n")
	for _, column := range []string{"NAME", "VERSION", "STATE", "POSITION", "LAG EVENTS", "LAG SECONDS", "EVENTS APPLIED", "DETAIL"} {
		if !strings.Contains(lines[0], column) {
			t.Errorf("header %q lacks the column %s", lines[0], column)
		}
	}
	for _, name := range projectionNames() {
		if !strings.Contains(out.stdout, "\n"+name+" ") {
			t.Errorf("no line for %s:\n%s", name, out.stdout)
		}
	}

	out, code = runCommand(t, "projections", "status", "--json", "--database-url", url)
	if code != 0 {
		t.Fatalf("status --json: exit status %d\n%s", code, out)
	}
	var statuses []projections.Status
	if err := json.Unmarshal([]byte(out.stdout), &statuses); err != nil {
		t.Fatalf("status --json printed no JSON array of statuses: %v\n%s", err, out.stdout)
	}
	if len(statuses) != len(readmodels.All()) {
		t.Errorf("status --json listed %d projections, want %d", len(statuses), len(readmodels.All()))
	}
	for _, s := range statuses {
		if _, ok := readmodels.ByName(s.Name); !ok || s.CodeVersion == 0 {
			t.Errorf("status of %q: %+v", s.Name, s)
		}
	}
}

// TestProjectionsStatusWithoutSchema checks that status, on a database without the
// schema, says to migrate and leaves the database as it was.
func TestProjectionsStatusWithoutSchema(t *testing.T) {
	url := pgtest.NewDatabase(t)
	pool := openTestPool(t, url)
	if _, err := pool.Exec(t.Context(), "DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA rm CASCADE"); err != nil {
		t.Fatal(err)
	}
	for _, command := range []string{"status", "rebuild"} {
		t.Run(command, func(t *testing.T) {
			args := []string{"projections", command, "--database-url", url}
			if command == "rebuild" {
				args = append(args, "--all")
			}
			out, code := runCommand(t, args...)
			if code != 1 || !strings.Contains(out.stderr, "run `accessledger migrate`") {
				t.Errorf("exit status %d, want 1 and a word about migrate; stderr:\n%s", code, out.stderr)
			}
			var tables int
			if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables); err != nil {
				t.Fatal(err)
			}
			if tables != 0 {
				t.Errorf("%s created %d tables", command, tables)
			}
		})
	}
}

func TestProjectionsRebuild(t *testing.T) {
	url := pgtest.NewDatabase(t)
	appendEvents(t, url)

	// The test's stderr is no terminal: progress comes as log lines.
	out, code := runCommand(t, "projections", "rebuild", "--database-url", url, "members", "--batch-size", "2")
	if code != 0 {
		t.Fatalf("rebuild: exit status %d\n%s", code, out)
	}
	for _, want := range []string{
		"msg=\"rebuild progress\" projection=members events=",
		"msg=\"rebuilt projection\" projection=members", "elapsed=", "events_per_second=",
	} {
		if !strings.Contains(out.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, out.stderr)
		}
	}

	out, code = runCommand(t, "projections", "rebuild", "--database-url", url, "--all")
	if code != 0 {
		t.Fatalf("rebuild --all: exit status %d\n%s", code, out)
	}
	for _, name := range projectionNames() {
		if !strings.Contains(out.stderr, "msg=\"rebuilt projection\" projection="+name+" ") {
			t.Errorf("rebuild --all did not rebuild %s:\n%s", name, out.stderr)
		}
	}
}

func TestRebuildError(t *testing.T) {
	tests := []struct {
		err  error
		want []string
	}{
		{fmt.Errorf("lease: %w", projections.ErrRebuildRunning), []string{"rebuild members:", "already under way", "projections status"}},
		{projections.ErrMismatch, []string{"rebuild members:", "differ from the live ones", "keep serving", "--force"}},
		{errors.New("connection reset"), []string{"rebuild members: connection reset"}},
	}
	for _, tt := range tests {
		err := rebuildError("members", tt.err)
		if !errors.Is(err, tt.err) {
			t.Errorf("rebuildError(%v) = %v, which does not wrap it", tt.err, err)
		}
		for _, want := range tt.want {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("rebuildError(%v) = %q, lacks %q", tt.err, err, want)
			}
		}
	}
}

// output is what a command printed.
type output struct{ stdout, stderr string }

func (o output) String() string { return "stdout:\n" + o.stdout + "\nstderr:\n" + o.stderr }

// runCommand runs the command line args and answers what it printed and its status.
func runCommand(t *testing.T, args ...string) (output, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, env{stdout: &stdout, stderr: &stderr})
	return output{stdout.String(), stderr.String()}, code
}

func openTestPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// appendEvents appends a few events to the database at url through the app's
// commands: a workspace, its owner, and two invited members.
func appendEvents(t *testing.T, url string) {
	t.Helper()
	ctx := t.Context()
	pool := openTestPool(t, url)
	store, err := postgres.Open(ctx, pool, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc := app.New(store, app.Options{TokenKey: []byte("test key")})
	created, err := svc.CreateWorkspace(ctx, app.Meta{Actor: domain.SystemActor()}, app.CreateWorkspace{
		Name: "Lab", Seats: 5,
		Owner: domain.RegisterAccount{Email: "owner@example.com", FirstName: "Olga", LastName: "Owner"},
	})
	if err != nil {
		t.Fatalf("create workspace: %v", err)
	}
	owner := domain.Actor{AccountID: created.OwnerAccountID}
	for _, email := range []string{"mia@example.com", "max@example.com"} {
		if _, err := svc.InviteUser(ctx, app.Meta{Actor: owner}, created.WorkspaceID, app.InviteUser{
			Email: email, FirstName: "Mia", LastName: "Member", Role: domain.RoleMember,
		}); err != nil {
			t.Fatalf("invite %s: %v", email, err)
		}
	}
}
