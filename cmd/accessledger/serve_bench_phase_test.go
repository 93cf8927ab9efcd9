package main

// One log of BenchmarkServe served as main serves it, and the phases measured on it.

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchServe is a log served as main serves it, with the clients of its mix and what
// they measured.
type benchServe struct {
	log                    *benchLog
	serving                *serving
	clients                []*mixClient
	caughtUp               string // how long the projections took to build the log
	mix, paced, invites    mixResult
	mixReport, pacedReport *benchSection
	invitesReport          *benchSection
}

// bootServe serves the log as main does, with every projection and the production pool
// (its output in tb), waits until the projections have built the log, and settles the
// database.
func bootServe(b *testing.B, tb capturedTB, l *benchLog) *benchServe {
	b.Helper()
	b.Setenv("DATABASE_URL", l.url)
	t0 := time.Now()
	v := &benchServe{log: l, serving: startServe(tb, "--addr", "127.0.0.1:0", "--log-level", "warn")}
	waitCaughtUpWithin(tb, v.serving.url, catchUpLimit)
	v.caughtUp = fmt.Sprintf("%s: the projections built %d events in %s", l.name, l.events, time.Since(t0).Round(time.Second))
	settle(b, l.pool)
	var err error
	if v.clients, err = newMixClients(v.serving.url, l.workspaces, *serveClients); err != nil {
		b.Fatalf("%s: %v", l.name, err)
	}
	return v
}

// warmUp runs the mix unmeasured: it fills the service's caches of the measured
// workspaces and the connection pools.
func (v *benchServe) warmUp(b *testing.B) {
	b.Helper()
	if _, err := runMix(context.Background(), v.clients, serveWarmUp, readBackEvery); err != nil {
		b.Fatalf("%s: warm-up: %v", v.log.name, err)
	}
}

// measureMix runs the saturated mix, between two readings of the database's counters
// and from emptied pg_stat_statements, and makes its section of the report.
func (v *benchServe) measureMix(b *testing.B) {
	b.Helper()
	v.mix, v.mixReport = v.measureStatements(b, "mix", v.caughtUp, func() (mixResult, error) {
		return runMix(context.Background(), v.clients, *serveDuration, readBackEvery)
	})
}

// measureStatements runs phase from emptied pg_stat_statements, between two readings of
// the database's counters, and answers its result and its section of the report, with
// the top statements and the transactions per command.
func (v *benchServe) measureStatements(b *testing.B, name, line string, phase func() (mixResult, error)) (mixResult, *benchSection) {
	b.Helper()
	pool := v.log.pool
	time.Sleep(statsFlushWait)
	resetStatements(b, pool)
	before := readCounters(b, pool)
	cpu := readCPU(v.log.pgPID)
	res, err := phase()
	cpu = readCPU(v.log.pgPID).since(cpu)
	if err != nil {
		b.Fatalf("%s: %s: %v", v.log.name, name, err)
	}
	time.Sleep(statsFlushWait)
	statements, xacts := statementReport(b, pool, before, readCounters(b, pool), res.commands)
	report := mixSection(logLabel(v.log.target)+"-"+name, res, line)
	if cpu.ok && res.commands > 0 {
		// On the transactions' line: a section keeps 9 lines.
		statements[len(statements)-2] += fmt.Sprintf("; CPU %.1f s in this process (serve and its clients), %.1f s in PostgreSQL (the whole cluster)",
			cpu.self.Seconds(), cpu.postgres.Seconds())
		perCmd := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(res.commands) }
		report.metric(perCmd(cpu.self), "go-cpu-ms/cmd")
		report.metric(perCmd(cpu.postgres), "pg-cpu-ms/cmd")
	}
	report.lines = append(report.lines, statements...)
	report.metric(xacts, "xacts/cmd")
	return res, report
}

// measurePaced runs the mix paced at half the saturated mix's request rate, and makes
// its section of the report.
func (v *benchServe) measurePaced(b *testing.B) {
	b.Helper()
	rate := v.mix.opRate() / 2
	// The first second of a paced run that follows a pause of this log is slower (in one
	// run, 139 of its 197 lags over 40 ms): lead in unmeasured, as the mix warms up.
	if _, _, err := runPaced(context.Background(), v.clients, pacedLeadIn, rate); err != nil {
		b.Fatalf("%s: paced lead-in: %v", v.log.name, err)
	}
	var dropped int
	var err error
	if v.paced, dropped, err = runPaced(context.Background(), v.clients, *serveDuration, rate); err != nil {
		b.Fatalf("%s: paced mix: %v", v.log.name, err)
	}
	v.pacedReport = mixSection(logLabel(v.log.target)+"-half-rate", v.paced,
		fmt.Sprintf("the mix paced at %.0f requests/s, half the saturated mix's, every command read back", rate))
	if dropped > 0 {
		b.Errorf("%s: the paced mix fell behind: %d steps found the queue full", v.log.name, dropped)
	}
}

// measureInvitations has every client invite new people, and nothing else, for the
// phase's duration: invitations end to end (a claim, an account and a roster append,
// and a project role half the time), against which the raw appends of the store are
// the ceiling.
func (v *benchServe) measureInvitations(b *testing.B) {
	b.Helper()
	v.invites, v.invitesReport = v.measureStatements(b, "invitations",
		fmt.Sprintf("every client inviting new people, nothing else, for %s", *serveDuration), func() (mixResult, error) {
			deadline := time.Now().Add(*serveDuration)
			return runClients(context.Background(), v.clients, func(ctx context.Context, c *mixClient) error {
				for time.Now().Before(deadline) {
					if _, err := c.invite(ctx); err != nil {
						return err
					}
				}
				return nil
			})
		})
}

// stop stops serve as a signal would.
func (v *benchServe) stop(b *testing.B) {
	b.Helper()
	if code := v.serving.stop(b); code != 0 {
		b.Errorf("%s: serve ended with exit status %d", v.log.name, code)
	}
}
