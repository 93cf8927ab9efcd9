package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"math/rand/v2"
	nethttp "net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/apitoken"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
)

var (
	loadMembers  = flag.Int("load.members", 100_000, "members of BenchmarkAPILoad's workspace")
	loadRequests = flag.Int("load.requests", 20_000, "requests BenchmarkAPILoad sends per endpoint")
	loadClients  = flag.Int("load.clients", 8, "concurrent clients of BenchmarkAPILoad")
)

// BenchmarkAPILoad serves a workspace of 100,000 members as main does and loads it over
// loopback: a page of the member list sorted by name, and the access check of random
// members, next to GET /healthz measured in the same run. It reports p50 and p99 latency
// and requests/s, and each as a ratio of /healthz's. Run with -benchtime 1x.
func BenchmarkAPILoad(b *testing.B) {
	url := pgtest.NewDatabase(b)
	b.Setenv("DATABASE_URL", url)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	if err := migrate(ctx, pool); err != nil {
		b.Fatal(err)
	}
	store, err := postgres.Open(ctx, pool, postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	ws, owner, members := seedWorkspace(b, store, *loadMembers)
	store.Close()
	_, token, err := apitoken.NewStore(pool).Issue(ctx, apitoken.Spec{AccountID: owner})
	if err != nil {
		b.Fatal(err)
	}
	s := startServe(b, "--addr", "127.0.0.1:0", "--log-level", "warn")
	waitCaughtUp(b, s.url)
	// A steady state: autovacuum would otherwise come by the freshly written tables in
	// the middle of the measurements.
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("setup: %d members seeded and projected in %s", len(members), time.Since(start).Round(time.Second))

	base := s.url + "/v1/workspaces/" + ws.String()
	endpoints := []struct {
		name string
		url  func(i int) string
	}{
		{"healthz", func(int) string { return s.url + "/healthz" }},
		{"members", func(int) string { return base + "/members?sort=name&limit=50" }},
		{"check", func(i int) string {
			return base + "/access/check?action=login&account=" + members[rand.IntN(len(members))].String()
		}},
	}
	var baseline loadResult
	for _, e := range endpoints {
		b.Run(e.name, func(b *testing.B) {
			res := runLoad(b, token, e.url)
			if e.name == "healthz" {
				baseline = res
			}
			b.ReportMetric(float64(res.p50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(res.p99.Microseconds())/1000, "p99-ms")
			b.ReportMetric(res.rate, "req/s")
			if e.name != "healthz" {
				b.ReportMetric(float64(res.p99)/float64(baseline.p99), "x-healthz-p99")
				b.ReportMetric(res.rate/baseline.rate, "x-healthz-req/s")
			}
		})
	}
}

type loadResult struct {
	p50, p99 time.Duration
	rate     float64
}

// runLoad sends *loadRequests GETs of url(i) from *loadClients clients, after a
// warm-up, and answers the latencies and throughput; any answer but 200 fails b.
func runLoad(b *testing.B, token string, url func(i int) string) loadResult {
	client := &nethttp.Client{Transport: &nethttp.Transport{MaxIdleConnsPerHost: *loadClients}}
	get := func(i int) time.Duration {
		req, _ := nethttp.NewRequest(nethttp.MethodGet, url(i), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took := time.Since(t0)
		if resp.StatusCode != nethttp.StatusOK {
			b.Fatalf("GET %s: %d", url(i), resp.StatusCode)
		}
		return took
	}
	for i := range 200 {
		get(i)
	}
	latencies := make([]time.Duration, *loadRequests)
	var wg sync.WaitGroup
	per := *loadRequests / *loadClients
	t0 := time.Now()
	for c := range *loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c * per; i < (c+1)*per; i++ {
				latencies[i] = get(i)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	latencies = latencies[:per**loadClients]
	slices.Sort(latencies)
	return loadResult{p50: latencies[len(latencies)/2], p99: latencies[len(latencies)*99/100], rate: float64(len(latencies)) / elapsed.Seconds()}
}

// waitCaughtUp waits until every projection has applied the whole log.
func waitCaughtUp(b *testing.B, base string) {
	b.Helper()
	waitCaughtUpWithin(b, base, 10*time.Minute)
}

// waitCaughtUpWithin waits up to limit until every projection has applied the whole
// log; a projection that fails fails b at once, with its error.
func waitCaughtUpWithin(b testing.TB, base string, limit time.Duration) {
	b.Helper()
	token := platformToken(b)
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		req, _ := nethttp.NewRequest(nethttp.MethodGet, base+"/v1/projections", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := nethttp.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var page struct {
			Items []struct {
				Name      string `json:"name"`
				State     string `json:"state"`
				LagEvents int64  `json:"lag_events"`
				LastError string `json:"last_error"`
			}
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		done := len(page.Items) > 0
		for _, it := range page.Items {
			if it.State == "failed" {
				b.Fatalf("projection %s failed: %s", it.Name, it.LastError)
			}
			done = done && it.State == "running" && it.LagEvents == 0
		}
		if done {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	b.Fatalf("the projections did not catch up within %s", limit)
}
