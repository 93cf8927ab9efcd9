package pglauncher

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

const (
	// portAttempts is how often Start picks a new port when postgres cannot bind one:
	// another program may take a port between our pick and postgres binding it.
	portAttempts = 5
	// readyPoll is the pause between connection attempts while the server starts.
	readyPoll = 50 * time.Millisecond
	// fastShutdownWait and immediateShutdownWait bound the steps of Stop.
	fastShutdownWait      = 30 * time.Second
	immediateShutdownWait = 5 * time.Second
	// tailLines is how much of the server's log a start error quotes.
	tailLines = 20
	// maxSocketPath is the longest unix socket path Linux accepts (sun_path less its NUL).
	maxSocketPath = 107
	logName       = "postgres.log"
)

// errPortTaken marks a start that failed because the port was taken.
var errPortTaken = errors.New("port taken")

// launch starts the server on a free port and waits until it accepts connections.
func launch(ctx context.Context, cfg Config, bins Binaries, owner *osUser) (*Cluster, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(cfg.DataDir, logName)
	logFile, err := openLog(logPath, owner)
	if err != nil {
		return nil, err
	}
	// The server writes through its own copy of the descriptor.
	defer logFile.Close()
	// The log grows across starts; a start error quotes only what this start wrote.
	offset, err := logFile.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("seek in %s: %w", logPath, err)
	}
	cmd := exec.Command(bins.Postgres, serverArgs(cfg, port)...)
	cmd.Dir = cfg.DataDir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = sysProcAttr(owner)
	c := &Cluster{dataDir: cfg.DataDir, port: port, logPath: logPath, log: cfg.Logger, exited: make(chan struct{})}
	if err := c.spawn(cmd); err != nil {
		return nil, fmt.Errorf("run %s: %w", bins.Postgres, err)
	}
	if err := c.waitReady(ctx); err != nil {
		// The server may be half up; Stop shuts it down whatever state it is in.
		_ = c.Stop(context.WithoutCancel(ctx))
		return nil, c.startError(err, offset)
	}
	return c, nil
}

// freePort answers a TCP port of 127.0.0.1 that nobody listens on at the moment.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func openLog(path string, owner *osUser) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open server log: %w", err)
	}
	if owner != nil {
		if err := f.Chown(int(owner.uid), int(owner.gid)); err != nil {
			f.Close()
			return nil, fmt.Errorf("hand server log %s to user %s: %w", path, owner.name, err)
		}
	}
	return f, nil
}

// serverArgs answers the command line of postgres.
func serverArgs(cfg Config, port int) []string {
	socketDir := `"` + strings.ReplaceAll(cfg.DataDir, `"`, `""`) + `"`
	// postgres refuses to start when its socket path is too long; TCP is enough then.
	if len(filepath.Join(cfg.DataDir, ".s.PGSQL."+strconv.Itoa(port))) > maxSocketPath {
		socketDir = ""
	}
	args := []string{
		"-D", cfg.DataDir,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=" + socketDir,
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.Settings)) {
		args = append(args, "-c", name+"="+cfg.Settings[name])
	}
	return args
}

// spawn starts cmd and reaps it in the background, closing c.exited once it is gone.
//
// Pdeathsig is tied to the OS thread that forked the child, not to our process
// (go.dev/issue/27505): should that thread end while the server runs, the server would
// shut down. Go ends a thread only when a goroutine exits while locked to it, so the
// goroutine that starts the server holds its thread until the server has exited.
func (c *Cluster) spawn(cmd *exec.Cmd) error {
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		c.proc = cmd.Process
		started <- nil
		c.exitErr = cmd.Wait()
		close(c.exited)
	}()
	return <-started
}

// waitReady polls until the server accepts connections; it gives up when the server
// exits or ctx ends.
func (c *Cluster) waitReady(ctx context.Context) error {
	connCfg, err := pgconn.ParseConfig(c.ConnString("postgres"))
	if err != nil {
		return fmt.Errorf("parse connection string: %w", err)
	}
	connCfg.ConnectTimeout = time.Second
	for {
		conn, err := pgconn.ConnectConfig(ctx, connCfg)
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-c.exited:
			return fmt.Errorf("postgres exited during start: %v", c.exitErr)
		case <-ctx.Done():
			return fmt.Errorf("wait for postgres to accept connections: %w (last attempt: %v)", ctx.Err(), err)
		case <-time.After(readyPoll):
		}
	}
}

// startError adds to err the server's log since offset, and marks it with errPortTaken
// when the log says that the port was taken.
func (c *Cluster) startError(err error, offset int64) error {
	tail := readTail(c.logPath, offset)
	if strings.Contains(tail, "could not create any TCP/IP sockets") || strings.Contains(tail, "Address already in use") {
		err = fmt.Errorf("%w (port %d): %w", errPortTaken, c.port, err)
	}
	return fmt.Errorf("%w\nlast lines of %s:\n%s", err, c.logPath, tail)
}

// readTail answers the last lines that the log at path got after offset.
func readTail(path string, offset int64) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	defer f.Close()
	const maxRead = 64 << 10
	if fi, err := f.Stat(); err == nil && fi.Size()-offset > maxRead {
		offset = fi.Size() - maxRead
	}
	data, err := io.ReadAll(io.NewSectionReader(f, offset, maxRead))
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	return lastLines(data, tailLines)
}

// lastLines answers the last n lines of text.
func lastLines(text []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(text, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// Stop shuts the server down and returns once its process is gone. It asks for a fast
// shutdown (SIGINT: sessions are ended, data is checkpointed); if the server is still up
// after 30s or when ctx ends, an immediate one (SIGQUIT: the next start recovers from the
// WAL); 5s later it kills the server's whole process group. It answers an error when the
// server had to be forced or had exited before. Calls after the first answer the same.
func (c *Cluster) Stop(ctx context.Context) error {
	c.stopOnce.Do(func() { c.stopErr = c.stop(ctx) })
	return c.stopErr
}

func (c *Cluster) stop(ctx context.Context) error {
	select {
	case <-c.exited:
		return fmt.Errorf("stop postgres (pid %d): it had exited already: %v", c.PID(), c.exitErr)
	default:
	}
	c.log.Debug("stopping PostgreSQL", "pid", c.PID())
	// A Signal error means the process is gone already, which the wait sees.
	_ = c.proc.Signal(syscall.SIGINT)
	if c.waitExit(ctx, fastShutdownWait) {
		c.log.Info("PostgreSQL stopped", "data_dir", c.dataDir)
		if c.exitErr != nil {
			return fmt.Errorf("stop postgres (pid %d): %w", c.PID(), c.exitErr)
		}
		return nil
	}
	c.log.Warn("PostgreSQL ignored the fast shutdown request, asking for an immediate one", "pid", c.PID())
	_ = c.proc.Signal(syscall.SIGQUIT)
	if c.waitExit(ctx, immediateShutdownWait) {
		return fmt.Errorf("stop postgres (pid %d): it ignored SIGINT and stopped on SIGQUIT (immediate shutdown)", c.PID())
	}
	// The whole group: backends that outlived a killed postmaster would hold its shared
	// memory, and the next start on this data dir would refuse to run.
	_ = syscall.Kill(-c.PID(), syscall.SIGKILL)
	<-c.exited
	return fmt.Errorf("stop postgres (pid %d): it ignored SIGINT and SIGQUIT and was killed", c.PID())
}

// waitExit waits up to d, or until ctx ends, for the server to exit; it tells whether it did.
func (c *Cluster) waitExit(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-c.exited:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	// select picks at random among ready cases: look once more.
	select {
	case <-c.exited:
		return true
	default:
		return false
	}
}
