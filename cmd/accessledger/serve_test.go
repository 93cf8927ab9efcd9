package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	nethttp "net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"accessledger/internal/pgtest"
)

// TestServeWithPrivateCluster runs serve as `go run ./cmd/accessledger` does, without a
// database URL, and checks that it serves and leaves no PostgreSQL process behind.
func TestServeWithPrivateCluster(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dataDir := newDataDir(t)
	s := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dataDir)

	if status := getStatus(t, s.url+"/healthz"); status != nethttp.StatusOK {
		t.Errorf("GET /healthz: %d, want 200", status)
	}
	waitReady(t, s.url)
	checkDemoWorkspace(t, s.out.String())
	pid := postmasterPID(t, dataDir)

	if code := s.stop(t); code != 0 {
		t.Errorf("serve: exit status %d, want 0", code)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("postgres (pid %d) is still there after serve ended: %v", pid, err)
	}
}

func TestServeWithDatabaseURL(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	dataDir := filepath.Join(t.TempDir(), "unused")
	s := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dataDir)

	waitReady(t, s.url)
	if code := s.stop(t); code != 0 {
		t.Errorf("serve: exit status %d, want 0", code)
	}
	if _, err := os.Stat(dataDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("serve with a database URL touched the data dir: %v", err)
	}
}

// TestServeMetrics checks that serve runs the projections and exports their state, with
// the Go runtime's metrics, at /metrics.
func TestServeMetrics(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	s := startServe(t, "--addr", "127.0.0.1:0")

	resp, err := nethttp.Get(s.url + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != nethttp.StatusOK {
		t.Fatalf("GET /metrics: status %d, %v", resp.StatusCode, err)
	}
	for _, want := range []string{
		`accessledger_projection_lag_events{projection="members"} `,
		"accessledger_projection_status_up 1\n",
		"accessledger_eventstore_oldest_transaction_seconds ", "accessledger_eventstore_oldest_transaction_pid ",
		"go_goroutines ", "process_cpu_seconds_total ",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("serve: exit status %d, want 0", code)
	}
}

// TestWithoutPostgreSQL runs the commands on a machine without PostgreSQL binaries and
// without a database URL: each must fail saying what to install or set.
func TestWithoutPostgreSQL(t *testing.T) {
	t.Setenv("PATH", "")
	t.Setenv("DATABASE_URL", "")
	tests := []struct {
		command  string
		wantCode int
	}{
		{"serve", 1},
		{"migrate", 1},
		{"verify", exitFailed},
		{"projections status", 1},
		{"projections rebuild --all", 1},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			var stderr bytes.Buffer
			e := env{
				stdout: io.Discard, stderr: &stderr,
				pgSearch: filepath.Join(t.TempDir(), "*", "bin"),
				openLog:  openFakeLog(&fakeLog{}),
			}
			args := append(strings.Fields(tt.command), "--data-dir", filepath.Join(t.TempDir(), "data"))
			code := run(t.Context(), args, e)
			if code != tt.wantCode {
				t.Errorf("exit status %d, want %d", code, tt.wantCode)
			}
			for _, want := range []string{"apt-get install postgresql", "DATABASE_URL"} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr does not mention %q:\n%s", want, stderr.String())
				}
			}
		})
	}
}

// serving is a serve command running in the background.
type serving struct {
	url    string
	out    *lockedBuffer // what serve prints to stdout
	cancel context.CancelFunc
	done   chan int
}

// startServe runs serve with args until it listens, and answers its base URL.
func startServe(t testing.TB, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan net.Addr, 1)
	s := &serving{out: new(lockedBuffer), cancel: cancel, done: make(chan int, 1)}
	e := env{stdout: s.out, stderr: t.Output(), serving: func(a net.Addr) { addrs <- a }}
	go func() { s.done <- run(ctx, append([]string{"serve"}, args...), e) }()
	t.Cleanup(func() {
		cancel()
		<-s.done
	})
	select {
	case addr := <-addrs:
		s.url = "http://" + addr.String()
		return s
	case code := <-s.done:
		s.done <- code
		t.Fatalf("serve ended with status %d before it listened", code)
	case <-time.After(2 * time.Minute):
		t.Fatal("serve did not listen within 2 minutes")
	}
	return nil
}

// stop ends serve as a signal would and answers its exit status.
func (s *serving) stop(t testing.TB) int {
	t.Helper()
	s.cancel()
	code := <-s.done
	s.done <- code // for the cleanup
	return code
}

// getStatus answers the status of GET url.
func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := nethttp.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// postmasterPID answers the pid of the server running on dataDir, from its lock file.
func postmasterPID(t *testing.T, dataDir string) int {
	t.Helper()
	lock, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		t.Fatalf("no server runs on %s: %v", dataDir, err)
	}
	line, _, _ := strings.Cut(string(lock), "\n")
	pid, err := strconv.Atoi(line)
	if err != nil {
		t.Fatalf("lock file: %v", err)
	}
	return pid
}

// lockedBuffer is a buffer that serve writes and the test reads at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// checkDemoWorkspace checks that serve printed a demo workspace whose token and first
// request work.
func checkDemoWorkspace(t *testing.T, printed string) {
	t.Helper()
	token := regexp.MustCompile(`export TOKEN=(\S+)`).FindStringSubmatch(printed)
	get := regexp.MustCompile(`curl -s -H "Authorization: Bearer \$TOKEN" (\S+)\n`).FindStringSubmatch(printed)
	if token == nil || get == nil {
		t.Fatalf("no demo workspace printed:\n%s", printed)
	}
	req, err := nethttp.NewRequest(nethttp.MethodGet, get[1], nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token[1])
	resp, err := nethttp.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != nethttp.StatusOK || !strings.Contains(string(body), `"Demo"`) {
		t.Errorf("GET %s with the demo token: %d %s", get[1], resp.StatusCode, body)
	}
}
