package main

// The fault suite's PostgreSQL cluster: its own, which it stops at once and starts again.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"accessledger/internal/pglauncher"
)

// faultPGSettings keep every acknowledged commit on disk across an immediate stop
// (synchronous_commit on: the WAL is written before the commit is answered). fsync stays
// off: the operating system does not crash, so what was written survives.
var faultPGSettings = map[string]string{"fsync": "off", "synchronous_commit": "on"}

// faultCluster is the suite's private cluster, apart from pgtest's shared one since the
// suite restarts it. pglauncher starts it; a restart runs the same server on the same
// data dir and port, since serve's DATABASE_URL names the port (pglauncher picks a new
// one on each Start).
type faultCluster struct {
	first *pglauncher.Cluster
	bins  pglauncher.Binaries
	cred  *syscall.Credential // the postgres OS user's when we run as root, else nil

	mu   sync.Mutex
	proc *faultPostgres // the server of the last restart; nil while first runs
}

// faultPostgres is a server that the suite started itself.
type faultPostgres struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

// startFaultCluster starts the suite's cluster with the accessledger database in it;
// Cleanup stops whichever server runs last and removes its folder.
func startFaultCluster(t *testing.T) *faultCluster {
	t.Helper()
	dir := newDataDir(t)
	bins, err := pglauncher.FindBinaries("")
	if err != nil {
		t.Fatal(err)
	}
	cred, err := faultPostgresCredential()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	first, err := pglauncher.Start(ctx, pglauncher.Config{DataDir: dir, Settings: faultPGSettings})
	if err != nil {
		t.Fatalf("start the fault suite's cluster: %v", err)
	}
	c := &faultCluster{first: first, bins: bins, cred: cred}
	t.Cleanup(func() {
		if err := c.stop(); err != nil {
			t.Errorf("stop the fault suite's cluster: %v", err)
		}
	})
	if err := first.CreateDatabase(ctx, databaseName); err != nil {
		t.Fatal(err)
	}
	return c
}

// url answers the URL of the accessledger database, the same across restarts.
func (c *faultCluster) url() string { return c.first.ConnString(databaseName) }

// faultPostgresCredential answers the identity the PostgreSQL programs run as: the postgres
// OS user when we are root (PostgreSQL refuses to run as root), else nil (ourselves).
func faultPostgresCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(pglauncher.ServerUser)
	if err != nil {
		return nil, fmt.Errorf("look up the %s OS user: %w", pglauncher.ServerUser, err)
	}
	uid, uerr := strconv.ParseUint(u.Uid, 10, 32)
	gid, gerr := strconv.ParseUint(u.Gid, 10, 32)
	if uerr != nil || gerr != nil {
		return nil, fmt.Errorf("user %s: uid %q, gid %q", u.Username, u.Uid, u.Gid)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// restart stops the server at once, as a crash would (pg_ctl -m immediate: no
// checkpoint, the next start replays the WAL), waits pause, and starts it again on the
// same data dir and port. It answers once the server accepts connections.
func (c *faultCluster) restart(ctx context.Context, pause time.Duration) error {
	pgctl := filepath.Join(filepath.Dir(c.bins.Postgres), "pg_ctl")
	cmd := exec.CommandContext(ctx, pgctl, "-D", c.first.DataDir(), "-m", "immediate", "-w", "stop")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl -m immediate stop: %w\n%s", err, out)
	}
	if err := c.waitGone(ctx); err != nil {
		return err
	}
	time.Sleep(pause)
	p, err := c.launch()
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.proc = p
	c.mu.Unlock()
	return c.waitReady(ctx, p)
}

// waitGone waits for the running server's process to be reaped, so that its port and
// shared memory are free for the next start.
func (c *faultCluster) waitGone(ctx context.Context) error {
	c.mu.Lock()
	p := c.proc
	c.mu.Unlock()
	if p == nil {
		// pglauncher reaps its server in the background; it is gone when its pid is.
		for syscall.Kill(c.first.PID(), 0) == nil {
			if ctx.Err() != nil {
				return fmt.Errorf("postgres (pid %d) outlived pg_ctl stop: %w", c.first.PID(), ctx.Err())
			}
			time.Sleep(20 * time.Millisecond)
		}
		return nil
	}
	select {
	case <-p.exited:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("postgres outlived pg_ctl stop: %w", ctx.Err())
	}
}

// launch starts the server as pglauncher does (its own process group, SIGINT when we
// die), from a goroutine that holds its OS thread while the server runs: the
// parent-death signal is tied to the thread that forked (go.dev/issue/27505).
func (c *faultCluster) launch() (*faultPostgres, error) {
	dir := c.first.DataDir()
	args := []string{"-D", dir, "-p", strconv.Itoa(c.first.Port()),
		"-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories="` + dir + `"`}
	for name, value := range faultPGSettings {
		args = append(args, "-c", name+"="+value)
	}
	logFile, err := os.OpenFile(c.first.LogPath(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, fmt.Errorf("open the server log: %w", err)
	}
	defer logFile.Close() // the server writes through its own copy
	cmd := exec.Command(c.bins.Postgres, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGINT, Credential: c.cred}
	p := &faultPostgres{cmd: cmd, exited: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- fmt.Errorf("restart postgres: %w", err)
			return
		}
		started <- nil
		_ = cmd.Wait()
		close(p.exited)
	}()
	return p, <-started
}

// waitReady polls until the restarted server p accepts connections.
func (c *faultCluster) waitReady(ctx context.Context, p *faultPostgres) error {
	cfg, err := pgconn.ParseConfig(c.first.ConnString("postgres"))
	if err != nil {
		return err
	}
	cfg.ConnectTimeout = time.Second
	for {
		conn, err := pgconn.ConnectConfig(ctx, cfg)
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-p.exited:
			return fmt.Errorf("restarted postgres exited (see %s): %v", c.first.LogPath(), err)
		case <-ctx.Done():
			return fmt.Errorf("restarted postgres does not accept connections: %w (%v)", ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop shuts down the server that runs: a fast shutdown (SIGINT), then after 30s its
// whole process group is killed.
func (c *faultCluster) stop() error {
	c.mu.Lock()
	p := c.proc
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), clusterStopTimeout)
	defer cancel()
	if p == nil {
		return c.first.Stop(ctx)
	}
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.exited:
		return nil
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
		return fmt.Errorf("postgres (pid %d) ignored SIGINT and was killed", p.cmd.Process.Pid)
	}
}
