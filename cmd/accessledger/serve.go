package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterbourgon/ff/v3/ffcli"

	"accessledger/apitoken"
	"accessledger/app"
	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
	apihttp "accessledger/http"
	"accessledger/projections"
	"accessledger/projections/readmodels"
	"accessledger/scheduler"
)

// shutdownTimeout bounds the wait for in-flight requests when serve stops.
const shutdownTimeout = 15 * time.Second

// serveCmd is the serve command: the HTTP service.
type serveCmd struct {
	e             *env
	flags         commonFlags
	addr          string
	tokenKey      string
	invitationURL string
	scheduler     bool
	schedulerTick time.Duration
}

func serveCommand(e *env) *ffcli.Command {
	c := &serveCmd{e: e}
	fs := newFlagSet("serve", e)
	fs.StringVar(&c.addr, "addr", ":8080", "HTTP listen address")
	fs.StringVar(&c.tokenKey, "token-key", "", "hex key (32 bytes or more) that derives invitation and retried API tokens; "+
		"the same in every instance (default: a random key per process)")
	fs.StringVar(&c.invitationURL, "invitation-url", "http://localhost:8080/accept?token=",
		"where invitees accept: invitation answers append the token to it")
	fs.BoolVar(&c.scheduler, "scheduler", true, "record what time does (visa and invitation expiries, purges) as events; "+
		"one instance at a time runs it, under a lease: false keeps this instance out of it")
	fs.DurationVar(&c.schedulerTick, "scheduler-interval", time.Minute, "how often the scheduler looks for due work")
	c.flags.register(fs)
	return &ffcli.Command{
		Name:       "serve",
		ShortUsage: "accessledger serve [flags]",
		ShortHelp:  "serve the HTTP API and run the projections (the default command)",
		LongHelp: "Serves the HTTP API and Prometheus metrics, and keeps the read models up to date,\n" +
			"until SIGINT or SIGTERM. Without a database URL it first starts a private PostgreSQL\n" +
			"cluster in --data-dir, and stops it on the way out.",
		FlagSet: fs,
		Options: ffOptions(),
		Exec:    c.exec,
	}
}

// exec opens what serve needs in order, and the deferred calls release it in reverse:
// the store before the pool, the pool before the private cluster.
func (c *serveCmd) exec(ctx context.Context, args []string) error {
	if err := noArgs(args); err != nil {
		return err
	}
	log := newLogger(c.e.stderr, c.flags.logLevel)
	return withDatabase(ctx, c.e, c.flags, log, func(ctx context.Context, pool *pgxpool.Pool) error {
		return c.run(ctx, pool, log)
	})
}

// run serves on pool: the deferred calls release what it opens in reverse, the store
// before the pool.
func (c *serveCmd) run(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	if err := migrate(ctx, pool); err != nil {
		return err
	}
	store, closeStore, err := openEventStore(ctx, c.flags.eventstoreURL, pool, log)
	if err != nil {
		return err
	}
	defer closeStore()

	key, err := parseTokenKey(c.tokenKey, log)
	if err != nil {
		return err
	}
	rt := projections.NewRuntime(pool, store, readmodels.All(), projections.Options{Logger: log})
	opsCtx, stopOps := context.WithCancel(context.WithoutCancel(ctx))
	defer stopOps()
	tokens := apitoken.NewStore(pool)
	api := apihttp.NewAPI(apihttp.APIConfig{
		App: app.New(store, app.Options{Logger: log, TokenKey: key}), Tokens: tokens, TokenAdmin: tokens,
		Reads: pool, Waiter: rt, Events: store, TokenKey: key, InvitationURL: c.invitationURL,
		Operations: &operations{ctx: opsCtx, pool: pool, log: store, rt: rt, out: log},
	})
	reqs := apihttp.NewMetrics()
	sched := c.newScheduler(pool, store, key, log)
	reg := newRegistry(rt, store, pool, log)
	reg.MustRegister(reqs)
	srv := apihttp.NewServer(apihttp.Config{
		Addr: c.addr, Logger: log, Ready: readiness(rt, store),
		FailedProjections: func(ctx context.Context) ([]string, error) { return projections.Failed(ctx, pool) },
		Metrics:           reg,
		API:               api,
		RequestMetrics:    reqs,
	})
	return c.serve(ctx, srv, rt, sched, pool, store, log)
}

// newScheduler answers the scheduler of this instance, nil with --scheduler=false. Its
// commands run on an app.Service of their own, whose clock the scheduler sets to each
// item's due instant.
func (c *serveCmd) newScheduler(pool *pgxpool.Pool, store eventstore.Store, key []byte, log *slog.Logger) *scheduler.Scheduler {
	if !c.scheduler {
		log.Info("scheduler off (--scheduler=false): another instance records what time does")
		return nil
	}
	return scheduler.New(pool, func(clock func() time.Time) scheduler.Commands {
		return app.New(store, app.Options{Logger: log, TokenKey: key, Clock: clock})
	}, scheduler.Options{Interval: c.schedulerTick, Logger: log})
}

// serve runs the projections and serves srv until ctx ends, then shuts srv down
// gracefully and stops the projections. It also stops, with an error, when either of
// them fails on its own.
func (c *serveCmd) serve(ctx context.Context, srv *apihttp.Server, rt *projections.Runtime, sched *scheduler.Scheduler, pool *pgxpool.Pool, store eventstore.Store, log *slog.Logger) error {
	addr, err := srv.Listen()
	if err != nil {
		return err
	}
	// The runtime outlives ctx until the HTTP server has finished its requests: a request
	// in flight may be waiting for a projection to catch up with its consistency token.
	rtCtx, stopRuntime := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRuntime()
	ran := make(chan error, 1)
	go func() { ran <- rt.Run(rtCtx) }()
	scheduled := runScheduler(rtCtx, sched, log)
	defer func() { stopRuntime(); <-scheduled }() // the scheduler shares the runtime's context
	log.Info("serving HTTP", "addr", addr.String())
	if c.flags.url == "" {
		if _, err := demoWorkspace(ctx, pool, store, c.e.stdout, addr); err != nil {
			log.Warn("no demo workspace", "err", err)
		}
	}
	if c.e.serving != nil {
		c.e.serving(addr)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()

	var failure error // why serve stops on its own, if it does
	runtimeDone := false
	select {
	case err := <-served:
		stopRuntime()
		return errors.Join(err, runtimeError(<-ran))
	case err := <-ran:
		// Without its projections the service would answer stale reads for good: stop,
		// and let the orchestrator (or the operator) see why.
		runtimeDone = true
		if err == nil {
			err = errors.New("the runtime returned")
		}
		failure = fmt.Errorf("projections stopped: %w", err)
		log.Error("projections stopped; shutting down", "err", err)
	case <-ctx.Done():
		log.Info("shutting down")
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		failure = errors.Join(failure, fmt.Errorf("serve: %w", err))
	}
	failure = errors.Join(failure, <-served)
	if !runtimeDone {
		stopRuntime()
		failure = errors.Join(failure, runtimeError(<-ran))
	}
	return failure
}

// runScheduler runs sched (if any) until ctx ends; the channel closes when it has
// stopped and given its lease up. A scheduler that cannot start is logged, not fatal:
// the API serves without it, and the due work waits for an instance that runs it.
func runScheduler(ctx context.Context, sched *scheduler.Scheduler, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	if sched == nil {
		close(done)
		return done
	}
	go func() {
		defer close(done)
		if err := sched.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("scheduler stopped", "err", err)
		}
	}()
	return done
}

// runtimeError answers the error of a runtime's Run, without the cancellation that
// stopping it causes.
func runtimeError(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// minTokenKey is the shortest --token-key accepted: 256 bits.
const minTokenKey = 32

// parseTokenKey answers the key of --token-key, or a random one (with a warning: tokens
// derived by one process do not match another's).
func parseTokenKey(text string, log *slog.Logger) ([]byte, error) {
	if text == "" {
		log.Info("no --token-key: retried invitations and accepts answer the same token only within this process")
		key := make([]byte, minTokenKey)
		_, _ = rand.Read(key)
		return key, nil
	}
	key, err := hex.DecodeString(text)
	if err != nil || len(key) < minTokenKey {
		return nil, fmt.Errorf("--token-key must be at least %d bytes in hex (openssl rand -hex 32)", minTokenKey)
	}
	return key, nil
}

// readiness answers the check of /readyz: PostgreSQL answers and every read model can
// answer queries (installed, and built when it is built at start: rt.Ready), and the
// event store answers too when it is another server (KurrentDB), read at the head of its
// log, and has what the commands need (a multi-stream append). The errors say why with
// the sentinels /readyz maps (ErrUnavailable, ErrNotReady); a server too old says so.
func readiness(rt *projections.Runtime, store eventstore.Store) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := rt.Ready(ctx); err != nil {
			return err
		}
		if _, ok := store.(*postgres.Store); ok {
			return nil
		}
		if _, err := store.Head(ctx); err != nil {
			return err
		}
		if checked, ok := store.(serverChecker); ok {
			return checked.CheckServer(ctx)
		}
		return nil
	}
}

// serverChecker is an event store on a server of its own that can tell whether that
// server has what the commands need (kurrentdb.Store).
type serverChecker interface {
	CheckServer(ctx context.Context) error
}
