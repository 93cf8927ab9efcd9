package pglauncher_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"accessledger/internal/pglauncher"
)

// helperEnv, when set in the environment of this test binary, makes it start a cluster in
// the folder it names, print the server's pid and wait to be killed: the program whose
// death TestServerStopsWhenParentDies watches.
const helperEnv = "PGLAUNCHER_TEST_HELPER_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		os.Exit(runHelper(dir))
	}
	os.Exit(m.Run())
}

func runHelper(dir string) int {
	c, err := pglauncher.Start(context.Background(), pglauncher.Config{DataDir: dir, Settings: testSettings})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(c.PID())
	// Wait to be killed; the test kills us long before the hour is over.
	time.Sleep(time.Hour)
	return 0
}

func TestServerStopsWhenParentDies(t *testing.T) {
	dir := newDataDir(t)
	helper := exec.Command(os.Args[0], "-test.run=^$")
	helper.Env = append(os.Environ(), helperEnv+"="+dir)
	helper.Stderr = t.Output()
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatalf("pipe: %v", err)
	}
	if err := helper.Start(); err != nil {
		t.Fatalf("start helper: %v", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	pid, convErr := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || convErr != nil {
		_ = helper.Process.Kill()
		_ = helper.Wait()
		t.Fatalf("helper did not report a server pid: %q, %v", line, err)
	}

	// SIGKILL leaves the helper no chance to stop the server: only Pdeathsig can.
	if err := helper.Process.Kill(); err != nil {
		t.Fatalf("kill helper: %v", err)
	}
	_ = helper.Wait()
	waitGone(t, pid, 30*time.Second)
}

func TestStaleLockFile(t *testing.T) {
	dir := newDataDir(t)
	c := startCluster(t, dir)
	// The lock file of a running server, to be put back after it stopped, as a crash
	// of the whole machine would leave it.
	lock, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		t.Fatalf("read lock file: %v", err)
	}
	if err := c.Stop(t.Context()); err != nil {
		t.Fatalf("Stop: %v", err)
	}

	tests := []struct {
		name string
		pid  int
	}{
		{"pid of a process that is gone", deadPID(t)},
		{"pid reused by another program", otherProgramPID(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rest, _ := strings.Cut(string(lock), "\n")
			stale := strconv.Itoa(tt.pid) + "\n" + rest
			writeAsOwnerOf(t, dir, "postmaster.pid", stale)
			c := startCluster(t, dir)
			if got := queryString(t, c.ConnString("postgres"), "SELECT 'up'"); got != "up" {
				t.Errorf("query answered %q", got)
			}
			if err := c.Stop(t.Context()); err != nil {
				t.Errorf("Stop: %v", err)
			}
		})
	}
}

// writeAsOwnerOf writes the file name in dir with the owner of dir, as the server
// (perhaps running as another user than the test) would have written it.
func writeAsOwnerOf(t *testing.T, dir, name, content string) {
	t.Helper()
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if err := os.Chown(path, int(st.Uid), int(st.Gid)); err != nil {
		t.Fatalf("chown %s: %v", path, err)
	}
}

// deadPID answers the pid of a process that has exited and been reaped.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatalf("run true: %v", err)
	}
	return cmd.Process.Pid
}

// otherProgramPID answers the pid of a running program that is not PostgreSQL.
func otherProgramPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("sleep", "600")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sleep: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd.Process.Pid
}

// waitGone fails the test unless process pid exits within d.
func waitGone(t *testing.T, pid int, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !processGone(pid) {
		if time.Now().After(deadline) {
			// Leave no server behind, backends included (its process group).
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			t.Fatalf("postgres (pid %d) still runs %v after its parent died", pid, d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
