package pglauncher_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"accessledger/internal/pglauncher"
)

// testSettings make the test clusters fast; the data is thrown away anyway.
var testSettings = map[string]string{"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}

func TestStartConnectStop(t *testing.T) {
	dir := newDataDir(t)
	c := startCluster(t, dir)

	if err := c.CreateDatabase(t.Context(), "app"); err != nil {
		t.Fatalf("CreateDatabase: %v", err)
	}
	if err := c.CreateDatabase(t.Context(), "app"); err != nil {
		t.Fatalf("CreateDatabase of an existing database: %v", err)
	}
	if got := queryString(t, c.ConnString("app"), "SELECT current_database()"); got != "app" {
		t.Errorf("current_database() = %q, want app", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "postgres.log")); err != nil {
		t.Errorf("server log: %v", err)
	}

	pid := c.PID()
	if err := c.Stop(t.Context()); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if !processGone(pid) {
		t.Errorf("postgres (pid %d) still runs after Stop", pid)
	}
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid after a clean stop: %v, want it removed", err)
	}
}

func TestRestartKeepsData(t *testing.T) {
	dir := newDataDir(t)
	first := startCluster(t, dir)
	execSQL(t, first.ConnString("postgres"), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')")
	if err := first.Stop(t.Context()); err != nil {
		t.Fatalf("Stop: %v", err)
	}

	second := startCluster(t, dir)
	if got := queryString(t, second.ConnString("postgres"), "SELECT v FROM kept"); got != "still here" {
		t.Errorf("after restart: %q, want %q", got, "still here")
	}
}

func TestStartFailureQuotesServerLog(t *testing.T) {
	dir := newDataDir(t)
	_, err := pglauncher.Start(t.Context(), pglauncher.Config{
		DataDir:  dir,
		Settings: map[string]string{"fsync": "off", "shared_buffers": "bogus"},
	})
	if err == nil {
		t.Fatal("Start with an invalid setting succeeded")
	}
	for _, want := range []string{"postgres exited during start", "shared_buffers", "postgres.log"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}

func TestStartOnDataDirInUse(t *testing.T) {
	dir := newDataDir(t)
	running := startCluster(t, dir)

	_, err := pglauncher.Start(t.Context(), pglauncher.Config{DataDir: dir, Settings: testSettings})
	want := fmt.Sprintf("(pid %d) is already running", running.PID())
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("second Start on a running data dir: %v, want an error containing %q", err, want)
	}
}

// newDataDir answers a new, empty folder for a cluster. It is made with os.MkdirTemp
// rather than t.TempDir: the latter nests it in a folder of mode 700, which the postgres
// OS user could not pass through when the tests run as root.
func newDataDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pglauncher-test-")
	if err != nil {
		t.Fatalf("create data dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// startCluster starts a cluster in dir and stops it when the test ends.
func startCluster(t *testing.T, dir string) *pglauncher.Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	c, err := pglauncher.Start(ctx, pglauncher.Config{DataDir: dir, Settings: testSettings, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		// Stop answers an error once stopped; only a server left running matters here.
		_ = c.Stop(context.Background())
		if !processGone(c.PID()) {
			t.Errorf("postgres (pid %d) still runs", c.PID())
		}
	})
	return c
}

// testLogger logs to the test's output, shown when it fails or with -v.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func execSQL(t *testing.T, connString, sql string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), connString)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func queryString(t *testing.T, connString, sql string) string {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), connString)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	var s string
	if err := conn.QueryRow(t.Context(), sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// processGone tells whether process pid has exited. A zombie counts as gone: it has
// exited and only waits for its parent (or init) to collect its status.
func processGone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// /proc/PID/stat reads "PID (COMM) STATE ...".
	i := bytes.LastIndexByte(stat, ')')
	return i > 0 && i+2 < len(stat) && stat[i+2] == 'Z'
}
