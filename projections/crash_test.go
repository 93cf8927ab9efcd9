package projections

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// The crash test runs a projector in a child process (this test binary, running
// TestCrashingProjector) that exits in the middle of its third batch, or between its
// third and fourth, as a killed process would: no deferred function, no rollback but
// the server's.
const (
	crashEnvURL  = "ACCESSLEDGER_CRASH_DB"
	crashEnvMode = "ACCESSLEDGER_CRASH_MODE"
	crashExit    = 3
	crashBatch   = 3
)

func TestProjectorKilledResumesExactlyOnce(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"mid-batch", "between-batches"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			want := r.rename("workspace-a", 40, "x")
			r.rename("workspace-b", 7, "y")
			runCrashingChild(t, r.url, mode)

			applied := r.appliedOf("c")
			if applied == 0 || applied >= 47 {
				t.Fatalf("the child applied %d events before it died, want some but not all", applied)
			}
			rt, _ := r.start(Options{Subscriber: SubscriberOptions{BatchSize: 6}}, counter{name: "c"})
			if err := rt.WaitFor(waitCtx(t), want); err != nil {
				t.Fatal(err)
			}
			last := r.rename("workspace-b", 1, "z")
			if err := rt.WaitFor(waitCtx(t), last); err != nil {
				t.Fatal(err)
			}
			if got := r.counts("c_counts"); got["workspace-a"] != 40 || got["workspace-b"] != 8 {
				t.Fatalf("after the crash and a restart: %v, want 40 and 8", got)
			}
			if applied := r.appliedOf("c"); applied != 48 {
				t.Errorf("events applied = %d, want 48: none twice", applied)
			}
			// A rebuild from scratch compares its tables with the live ones before it swaps.
			res, err := Rebuild(waitCtx(t), r.pool, r.store, counter{name: "c"}, RebuildOptions{BatchSize: 5})
			if err != nil || !res.Compared {
				t.Fatalf("rebuild from scratch: %+v, %v; want equal tables", res, err)
			}
		})
	}
}

// runCrashingChild runs the crashing projector against the database at url and waits for
// it to die.
func runCrashingChild(t *testing.T, url, mode string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCrashingProjector$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnvURL+"="+url, crashEnvMode+"="+mode)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != crashExit {
		t.Fatalf("child projector: %v, want exit status %d; output:\n%s", err, crashExit, out.String())
	}
}

// TestCrashingProjector is the child process of TestProjectorKilledResumesExactlyOnce;
// run by itself, it skips.
func TestCrashingProjector(t *testing.T) {
	url, mode := os.Getenv(crashEnvURL), os.Getenv(crashEnvMode)
	if url == "" {
		t.Skip("the child process of TestProjectorKilledResumesExactlyOnce; runs only from there")
	}
	r := openRig(t, url)
	batches := 0
	opts := Options{Subscriber: SubscriberOptions{BatchSize: 6}}
	die := func(string) { os.Exit(crashExit) }
	switch mode {
	case "mid-batch": // the batch's writes are done, its commit is not
		opts.beforeCommit = func(name string) {
			if batches++; batches == crashBatch {
				die(name)
			}
		}
	case "between-batches": // committed, not acked
		opts.afterCommit = func(name string) {
			if batches++; batches == crashBatch {
				die(name)
			}
		}
	default:
		t.Fatalf("%s=%q", crashEnvMode, mode)
	}
	r.start(opts, counter{name: "c"})
	time.Sleep(20 * time.Second)
	t.Fatal("the projector did not reach batch " + strconv.Itoa(crashBatch))
}

// appliedOf answers the events_applied of a projection's checkpoint.
func (r *rig) appliedOf(name string) int64 {
	r.t.Helper()
	var n int64
	if err := r.pool.QueryRow(context.Background(), `SELECT events_applied FROM projection_checkpoints WHERE name = $1`, name).Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n
}
