package projections_test

import (
	"context"
	"flag"
	"testing"
	"time"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
	"accessledger/projections"
	"accessledger/projections/members"
	"accessledger/projections/readmodels"
)

// rebuildEvents is the size of BenchmarkRebuild's log; a quick run passes fewer.
var rebuildEvents = flag.Int("rebuild.events", 1_000_000, "events in BenchmarkRebuild's log (at least; whole workspaces)")

// BenchmarkRebuild measures a full rebuild of every read model over a log of
// -rebuild.events realistic events in the Postgres store, next to a plain read of the
// same log in the same run and database:
//
//   - read: ReadAll in pages of 2000 and Decode of each page, one pass over the log,
//     the floor under any rebuild;
//   - all: one op is one RebuildAll of every read model, as `accessledger projections rebuild` runs
//     it: every projection built into a new generation, compared, swapped.
//
// Both report events/s; all also reports x-read, its rate over the read rate: what the
// projections' writes cost beyond reading the log once. The live tables are at the head
// before the timer starts (installLive), so every op is the operator's rebuild at an
// unchanged version: built up to the live checkpoint, compared with the live tables,
// swapped. (On live tables never run, at position zero, the swap would first apply the
// whole log to them as well.) Setup runs once. With a million events, a run takes about
// 7 minutes on 2 CPUs: pass -benchtime 1x -timeout 30m.
func BenchmarkRebuild(b *testing.B) {
	r := projections.OpenRigForTest(b, pgtest.NewDatabase(b)) // 8 connections: the builds run side by side
	start := time.Now()
	n, memberRows := appendRebuildLog(b, r.Store, *rebuildEvents, 8)
	b.Logf("setup: appended %d events (%d member rows expected) in %s", n, memberRows, time.Since(start).Round(time.Millisecond))
	installLive(b, r, n, memberRows)

	var readRate float64
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if read := readLog(b, r.Store); read != n {
				b.Fatalf("read %d events, want %d", read, n)
			}
		}
		readRate = float64(n*b.N) / b.Elapsed().Seconds()
		b.ReportMetric(readRate, "events/s")
	})
	b.Run("all", func(b *testing.B) {
		var elapsed time.Duration
		for range b.N {
			start := time.Now()
			results, err := projections.RebuildAll(context.Background(), r.Pool, r.Store, readmodels.All(), projections.RebuildOptions{})
			elapsed += time.Since(start)
			checkRebuilt(b, r, results, err, n, memberRows, true)
		}
		rate := float64(n*b.N) / elapsed.Seconds()
		b.ReportMetric(rate, "events/s")
		if readRate > 0 {
			b.ReportMetric(rate/readRate, "x-read")
		}
	})
}

// installLive brings every projection's live tables to the head as a deploy that
// changes the projections' versions does: tables installed by other versions, then
// rebuilt from the whole log and swapped in without a comparison. It logs how fast.
func installLive(b *testing.B, r *projections.Rig, n, memberRows int) {
	b.Helper()
	for _, p := range readmodels.All() {
		if err := projections.EnsureCheckpointForTest(context.Background(), r.Pool, otherVersion{p}); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	results, err := projections.RebuildAll(context.Background(), r.Pool, r.Store, readmodels.All(), projections.RebuildOptions{})
	checkRebuilt(b, r, results, err, n, memberRows, false)
	b.Logf("setup: rebuilt %d projections of another version from %d events in %s (%.0f events/s)",
		len(results), n, time.Since(start).Round(time.Millisecond), float64(n)/time.Since(start).Seconds())
}

// checkRebuilt fails unless a RebuildAll succeeded, applying n events to every projection
// (and comparing them with the live tables when compared), and the member list it built
// has the rows the generator made.
func checkRebuilt(b *testing.B, r *projections.Rig, results []projections.RebuildResult, err error, n, memberRows int, compared bool) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
	for _, res := range results {
		if res.Events != int64(n) || res.Compared != compared {
			b.Fatalf("%s: rebuilt from %d events (compared: %t), want %d (%t)", res.Projection, res.Events, res.Compared, n, compared)
		}
	}
	var got int
	if err := r.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+projections.Qualified(projections.ReadSchema, members.MembersTable)).Scan(&got); err != nil {
		b.Fatal(err)
	}
	if got != memberRows {
		b.Fatalf("the member list has %d rows, want %d", got, memberRows)
	}
}

// otherVersion is a projection as another version of its code installs it.
type otherVersion struct{ projections.Projection }

func (o otherVersion) Version() int { return o.Projection.Version() + 1 }

// readLog reads the whole log in pages of 2000, decoding every payload, and answers the
// events read.
func readLog(b *testing.B, store *postgres.Store) int {
	b.Helper()
	var at eventstore.Position
	for n := 0; ; {
		events, err := store.ReadAll(context.Background(), at, 2000)
		if err != nil {
			b.Fatal(err)
		}
		// The payloads only: what a plain reader of the log decodes. (Decode also parses
		// the stream names, for the read models.)
		for i := range events {
			if _, err := domain.DecodeEvent(events[i].Type, events[i].Data); err != nil {
				b.Fatal(err)
			}
		}
		if n += len(events); len(events) < 2000 {
			return n
		}
		at = events[len(events)-1].Position
	}
}
