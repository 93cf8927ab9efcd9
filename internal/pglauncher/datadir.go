package pglauncher

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// prepareDataDir makes dir hold a cluster that owner (nil: we) can start: it creates the
// folder, hands it to owner, runs initdb when it is empty, and clears a lock file that a
// crashed server left behind.
func prepareDataDir(ctx context.Context, dir string, bins Binaries, owner *osUser, noSync bool, log *slog.Logger) error {
	if owner != nil {
		if err := owner.checkReach(dir); err != nil {
			return err
		}
	}
	// Parents get the usual 755 so that the postgres user can pass through them; the data
	// dir itself must be 700, as postgres refuses one open to others.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("create parent of data dir %s: %w", dir, err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create data dir %s: %w", dir, err)
	}
	if owner != nil {
		if err := owner.own(dir); err != nil {
			return err
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read data dir %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return initDB(ctx, dir, bins, owner, noSync, log)
	}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err != nil {
		return fmt.Errorf("data dir %s is not empty and holds no PostgreSQL cluster (no PG_VERSION): "+
			"choose an empty or missing folder", dir)
	}
	return clearStaleLock(dir, log)
}

// initDB creates a cluster in the empty folder dir, with a superuser named postgres that
// local connections reach without a password.
func initDB(ctx context.Context, dir string, bins Binaries, owner *osUser, noSync bool, log *slog.Logger) error {
	args := []string{"-D", dir, "--auth=trust", "-E", "UTF8", "--no-locale", "-U", "postgres"}
	if noSync {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, bins.InitDB, args...)
	cmd.Dir = dir
	cmd.SysProcAttr = sysProcAttr(owner)
	// On SIGINT initdb removes what it wrote; killed, it would leave a half-made cluster
	// that the next start would take for a real one.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	log.Info("creating PostgreSQL cluster", "data_dir", dir, "initdb", bins.InitDB)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb %s: %w\n%s", dir, err, lastLines(out, tailLines))
	}
	return nil
}

// clearStaleLock looks at the postmaster.pid that a server leaves in its data dir while it
// runs. postgres itself ignores one whose process is gone, but not one whose pid was since
// reused by another process of its user (common in containers, where pids are small); such
// a file is removed here. A server still running on dir is an error.
func clearStaleLock(dir string, log *slog.Logger) error {
	path := filepath.Join(dir, "postmaster.pid")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read lock file: %w", err)
	}
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	pid, err := strconv.Atoi(strings.TrimSpace(string(firstLine)))
	switch {
	case err != nil || pid <= 0:
		log.Warn("removing unreadable PostgreSQL lock file", "path", path)
	case !processExists(pid):
		return nil
	case isPostgres(pid):
		return fmt.Errorf("a PostgreSQL server (pid %d) is already running on data dir %s: stop it first", pid, dir)
	default:
		log.Warn("removing stale PostgreSQL lock file: its pid now belongs to another program", "path", path, "pid", pid)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("remove stale lock file: %w", err)
	}
	return nil
}

// processExists tells whether a process with that pid exists, ours or not.
func processExists(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// isPostgres tells whether process pid runs a PostgreSQL server program. Where /proc is
// missing it answers true: better to refuse to start than to delete a live lock file.
func isPostgres(pid int) bool {
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return true
	}
	return strings.TrimSpace(string(comm)) == "postgres"
}
