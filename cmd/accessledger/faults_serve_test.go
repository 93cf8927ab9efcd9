package main

// serve as the fault suite runs it: in a child process (this test binary, re-executed),
// so that SIGKILL can end it as a crash would, under a supervisor that starts it again.

import (
	"context"
	cryptorand "crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	nethttp "net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// faultServeEnv, when set in the environment of this test binary, makes TestMain run
// serve with the command line's arguments, as main does, instead of the tests.
const faultServeEnv = "FAULTS_SERVE_CHILD"

// runFaultChild is main for the fault suite's child process.
func runFaultChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr})
}

const (
	// faultReadyWait bounds the wait for a (re)started serve to answer /readyz 200; a
	// binary built with -race on a busy machine may take a while.
	faultReadyWait = 90 * time.Second
	// faultFailedGrace is how long /readyz may name failed read models before waitReady
	// gives up: time for a runtime that retries them to do so.
	faultFailedGrace = 10 * time.Second
	// faultRestartPause spaces out the starts of a serve that keeps exiting.
	faultRestartPause = 500 * time.Millisecond
)

// faultServe is serve in a child process, started again whenever it exits until stop.
// An exit that kill did not cause is recorded: serve is not supposed to end on its own.
type faultServe struct {
	url    string
	args   []string
	env    []string
	logDir string
	done   chan struct{} // closed when the supervisor has returned

	mu       sync.Mutex
	proc     *os.Process
	gen      int      // starts so far
	killed   bool     // the running process was killed by kill
	stopping bool     // stop was called: do not start again
	exits    []string // unexpected exits: status and the tail of the log
}

// startFaultServe starts serve on the database at dbURL, on a free port kept across
// restarts, and waits until it is ready. Cleanup stops it.
func startFaultServe(t *testing.T, dbURL string) *faultServe {
	t.Helper()
	port, err := faultPort()
	if err != nil {
		t.Fatal(err)
	}
	// The same key in every process, so that a retried invitation or accept answers the
	// same token after a restart.
	key := make([]byte, minTokenKey)
	_, _ = cryptorand.Read(key)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s := &faultServe{url: "http://" + addr, logDir: t.TempDir(), done: make(chan struct{}),
		args: []string{"serve", "--addr", addr, "--token-key", hex.EncodeToString(key), "--log-level", "info"},
		env:  append(os.Environ(), faultServeEnv+"=1", "DATABASE_URL="+dbURL, "EVENTSTORE_URL=")}
	go s.supervise()
	// Cleanups run last first: this one once serve has stopped, and written all it will.
	t.Cleanup(func() {
		if report := s.raceReport(); report != "" {
			t.Errorf("the race detector found a data race in serve:\n%s", report)
		}
	})
	t.Cleanup(s.stop)
	if err := s.waitReady(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	return s
}

// faultPort answers a free TCP port of 127.0.0.1 below Linux's ephemeral range, so that
// no outgoing connection takes it while serve is down between two starts.
func faultPort() (int, error) {
	for range 100 {
		port := 20000 + rand.IntN(10000)
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			l.Close()
			return port, nil
		}
	}
	return 0, fmt.Errorf("no free port in 20000-29999")
}

// supervise starts serve and starts it again whenever it exits, until stop. It holds its
// OS thread, which the children's parent-death signal is tied to (go.dev/issue/27505).
func (s *faultServe) supervise() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer close(s.done)
	for {
		s.mu.Lock()
		if s.stopping {
			s.mu.Unlock()
			return
		}
		s.gen++
		logPath := filepath.Join(s.logDir, fmt.Sprintf("serve-%d.log", s.gen))
		s.mu.Unlock()
		status := s.runOnce(logPath)
		s.mu.Lock()
		killed := s.killed
		s.killed, s.proc = false, nil
		if !killed && !s.stopping {
			s.exits = append(s.exits, fmt.Sprintf("serve exited on its own (%s); the end of %s:\n%s",
				status, logPath, faultLogTail(logPath, 30)))
		}
		s.mu.Unlock()
		if !killed {
			time.Sleep(faultRestartPause)
		}
	}
}

// runOnce runs one serve process, its output to logPath, and answers how it ended.
func (s *faultServe) runOnce(logPath string) string {
	logFile, err := os.Create(logPath)
	if err != nil {
		return fmt.Sprintf("no log file: %v", err)
	}
	defer logFile.Close()
	cmd := exec.Command(os.Args[0], s.args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = s.env, logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Sprintf("start failed: %v", err)
	}
	s.mu.Lock()
	s.proc = cmd.Process
	if s.stopping { // stop came between the check and the start
		_ = cmd.Process.Signal(syscall.SIGTERM)
	}
	s.mu.Unlock()
	return fmt.Sprint(cmd.Wait())
}

// kill ends the running serve with SIGKILL, as a crash would, and answers its start
// number: the supervisor starts the next one at once.
func (s *faultServe) kill() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return s.gen, fmt.Errorf("no serve runs to kill")
	}
	s.killed = true
	return s.gen, s.proc.Kill()
}

// waitReady waits until a serve started after start number after answers /readyz 200.
// It gives up early when /readyz keeps naming failed read models: they do not come
// back on their own.
func (s *faultServe) waitReady(ctx context.Context, after int) error {
	ctx, cancel := context.WithTimeout(ctx, faultReadyWait)
	defer cancel()
	last, failedSince := "no answer yet", time.Time{}
	for {
		s.mu.Lock()
		current, up := s.gen, s.proc != nil
		s.mu.Unlock()
		if current > after && up {
			status, body, err := faultReadyz(ctx, s.url)
			if err == nil && status == nethttp.StatusOK {
				return nil
			}
			last = fmt.Sprintf("status %d, %v: %s", status, err, faultClip(body))
			switch {
			case !strings.Contains(string(body), "stopped on an error"):
				failedSince = time.Time{}
			case failedSince.IsZero():
				failedSince = time.Now()
			case time.Since(failedSince) > faultFailedGrace:
				return fmt.Errorf("serve not ready: a read model failed (/readyz: %s); its log:\n%s", last, s.logTail())
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("serve not ready within %v (last /readyz: %s); its log:\n%s",
				faultReadyWait, last, s.logTail())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// faultReadyz answers the status and body of GET /readyz.
func faultReadyz(ctx context.Context, base string) (int, []byte, error) {
	req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodGet, base+"/readyz", nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := nethttp.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// unexpectedExits answers the exits recorded since the last call.
func (s *faultServe) unexpectedExits() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	exits := s.exits
	s.exits = nil
	return exits
}

// stop ends serve as a signal would (SIGTERM), then with SIGKILL when it does not
// finish within shutdownTimeout and a margin.
func (s *faultServe) stop() {
	s.mu.Lock()
	s.stopping = true
	if s.proc != nil {
		_ = s.proc.Signal(syscall.SIGTERM)
	}
	s.mu.Unlock()
	select {
	case <-s.done:
	case <-time.After(shutdownTimeout + 5*time.Second):
		s.mu.Lock()
		if s.proc != nil {
			_ = s.proc.Kill()
		}
		s.mu.Unlock()
		<-s.done
	}
}
