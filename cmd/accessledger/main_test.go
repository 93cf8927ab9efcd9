package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"accessledger/internal/pgtest"
	"accessledger/migrations"
)

func TestMain(m *testing.M) {
	// The fault suite (faults_*_test.go) re-executes this binary to run serve in a
	// process of its own, which it kills: that child serves rather than tests.
	if os.Getenv(faultServeEnv) != "" {
		os.Exit(runFaultChild())
	}
	pgtest.Main(m)
}

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"root help", []string{"-h"}, 0, "serve"},
		{"serve help", []string{"serve", "-h"}, 0, "-addr"},
		{"unknown command", []string{"launch"}, 2, `unknown command "launch"`},
		{"unknown flag", []string{"migrate", "--nope"}, 2, "flag provided but not defined"},
		{"bad log level", []string{"serve", "--log-level", "loud"}, 2, "log-level"},
		{"stray argument", []string{"migrate", "now"}, 2, `unexpected arguments ["now"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(t.Context(), tt.args, env{stdout: io.Discard, stderr: &stderr})
			if code != tt.wantCode {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantStderr, stderr.String())
			}
		})
	}
}

func TestMigrate(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, env{stdout: &stdout, stderr: &stderr}); code != 0 {
		t.Fatalf("migrate: exit status %d; stderr:\n%s", code, stderr.String())
	}
	latest, err := migrations.Latest()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stdout.String(), fmt.Sprintf("schema version %d\n", latest); got != want {
		t.Errorf("migrate printed %q, want %q", got, want)
	}
}

// newDataDir answers a new, empty folder for a private cluster. It is made with
// os.MkdirTemp rather than t.TempDir: the latter nests it in a folder of mode 700, which
// the postgres OS user could not pass through when the tests run as root.
func newDataDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "accessledger-test-")
	if err != nil {
		t.Fatalf("create data dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
