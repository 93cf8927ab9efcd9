package main

// How BenchmarkServe drives its load: the mix closed loop and paced, /healthz, and raw
// appends to the store, each answering latencies and rates.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	nethttp "net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
)

// mixResult is what the clients measured in one run, merged; the latencies are sorted.
type mixResult struct {
	elapsed                  time.Duration
	commands, invites, reads int
	cmd, read, lag           []time.Duration
}

func (r mixResult) commandRate() float64 { return float64(r.commands) / r.elapsed.Seconds() }
func (r mixResult) inviteRate() float64  { return float64(r.invites) / r.elapsed.Seconds() }

// opRate is the rate of the mix's own requests, commands and reads, without the reads
// that follow commands to measure lag.
func (r mixResult) opRate() float64 { return float64(r.commands+r.reads) / r.elapsed.Seconds() }

// runMix runs the clients closed loop for d: each sends its next request when the last
// one answered. One command in readBackEvery is followed by its read back, before the
// client goes on, as an admin UI refreshes after a change. It answers the first error
// of any client.
func runMix(ctx context.Context, clients []*mixClient, d time.Duration, readBackEvery int) (mixResult, error) {
	deadline := time.Now().Add(d)
	return runClients(ctx, clients, func(ctx context.Context, c *mixClient) error {
		for time.Now().Before(deadline) {
			ch, err := c.step(ctx)
			if err != nil {
				return err
			}
			if ch != nil && c.rng.IntN(readBackEvery) == 0 {
				took, err := c.readBack(ctx, *ch)
				if err != nil {
					return err
				}
				c.stats.lag = append(c.stats.lag, took)
			}
		}
		return nil
	})
}

// runPaced runs the mix open loop for d: a pacer deals out rate steps a second, which
// the first free client takes. Every command is read back on a goroutine of its own,
// so that the client is free for the next step on time. Steps that find every client
// busy wait in a queue; those that would overflow it are counted in dropped.
func runPaced(ctx context.Context, clients []*mixClient, d time.Duration, rate float64) (res mixResult, dropped int, err error) {
	// The read backs outlive the client that sent the command: they run on ctx, which
	// ends when one of them fails, or when runPaced returns (and stops the pacer).
	backs, ctx := errgroup.WithContext(ctx)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	steps := make(chan struct{}, 1024)
	var lost atomic.Int64
	go func() {
		defer close(steps)
		start, interval := time.Now(), time.Duration(float64(time.Second)/rate)
		for i := 0; ; i++ {
			at := start.Add(time.Duration(i) * interval)
			if at.Sub(start) >= d || ctx.Err() != nil {
				return
			}
			time.Sleep(time.Until(at))
			select {
			case steps <- struct{}{}:
			default:
				lost.Add(1)
			}
		}
	}()
	var mu sync.Mutex
	var lags []time.Duration
	res, err = runClients(ctx, clients, func(cctx context.Context, c *mixClient) error {
		for range steps {
			ch, err := c.step(cctx)
			if err != nil {
				return err
			}
			if ch != nil {
				backs.Go(func() error {
					took, err := c.readBack(ctx, *ch)
					if err != nil {
						return err
					}
					mu.Lock()
					defer mu.Unlock()
					lags = append(lags, took)
					return nil
				})
			}
		}
		return nil
	})
	if berr := backs.Wait(); berr != nil {
		err = berr // the cause; the clients' error would be the cancellation it caused
	}
	res.lag = append(res.lag, lags...)
	slices.Sort(res.lag)
	return res, int(lost.Load()), err
}

// runClients runs work on every client at once, from fresh statistics, and merges what
// they measured.
func runClients(ctx context.Context, clients []*mixClient, work func(context.Context, *mixClient) error) (mixResult, error) {
	g, gctx := errgroup.WithContext(ctx)
	t0 := time.Now()
	for _, c := range clients {
		c.stats = mixStats{}
		g.Go(func() error { return work(gctx, c) })
	}
	err := g.Wait()
	res := mixResult{elapsed: time.Since(t0)}
	for _, c := range clients {
		s := c.stats
		res.commands, res.invites, res.reads = res.commands+s.commands, res.invites+s.invites, res.reads+s.reads
		res.cmd, res.read, res.lag = append(res.cmd, s.cmd...), append(res.read, s.read...), append(res.lag, s.lag...)
	}
	slices.Sort(res.cmd)
	slices.Sort(res.read)
	slices.Sort(res.lag)
	return res, err
}

// percentile answers the p-th percentile (0 to 100) of sorted latencies, in
// milliseconds; 0 for none.
func percentile(sorted []time.Duration, p int) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[min(len(sorted)*p/100, len(sorted)-1)].Microseconds()) / 1000
}

// healthzLoad sends GET /healthz from n clients for d and answers the sorted latencies
// and the requests a second: what the HTTP stack alone costs over loopback.
func healthzLoad(ctx context.Context, serverURL string, n int, d time.Duration) ([]time.Duration, float64, error) {
	client := &nethttp.Client{Transport: &nethttp.Transport{MaxIdleConnsPerHost: n}}
	lat := make([][]time.Duration, n)
	deadline := time.Now().Add(d)
	g, gctx := errgroup.WithContext(ctx)
	t0 := time.Now()
	for i := range n {
		g.Go(func() error {
			for time.Now().Before(deadline) {
				req, _ := nethttp.NewRequestWithContext(gctx, "GET", serverURL+"/healthz", nil)
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					return err
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != nethttp.StatusOK {
					return fmt.Errorf("GET /healthz: status %d", resp.StatusCode)
				}
				lat[i] = append(lat[i], time.Since(start))
			}
			return nil
		})
	}
	err := g.Wait()
	elapsed := time.Since(t0)
	all := slices.Concat(lat...)
	slices.Sort(all)
	return all, float64(len(all)) / elapsed.Seconds(), err
}

// rawAppends appends one event per call to new account streams from n goroutines for
// d, after a warm-up of a second, and answers the appends a second: what the store
// itself does at the mix's concurrency. The events are real registrations, which the
// projections fold as accounts of no workspace.
func rawAppends(ctx context.Context, store *postgres.Store, n int, d time.Duration) (float64, error) {
	var count atomic.Int64
	start := time.Now().Add(time.Second)
	deadline := start.Add(d)
	g, gctx := errgroup.WithContext(ctx)
	for range n {
		g.Go(func() error {
			for time.Now().Before(deadline) {
				id := uuid.New()
				data, _ := json.Marshal(domain.AccountRegistered{AccountID: id, Email: id.String() + "@append.example", FirstName: "Raw", LastName: "Append"})
				e := eventstore.EventData{Type: domain.TypeAccountRegistered, Data: data, Metadata: eventstore.Metadata{
					CommandID: id, CorrelationID: id, CausationID: id, Actor: "system", OccurredAt: time.Now()}}
				if _, err := store.Append(gctx, domain.AccountStream(id), eventstore.NoStream(), e); err != nil {
					return err
				}
				if !time.Now().Before(start) {
					count.Add(1)
				}
			}
			return nil
		})
	}
	err := g.Wait()
	return float64(count.Load()) / d.Seconds(), err
}
