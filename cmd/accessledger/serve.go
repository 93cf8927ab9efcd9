package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	apihttp "accessledger/http"
)

// shutdownTimeout bounds the wait for in-flight requests when serve stops.
const shutdownTimeout = 15 * time.Second

// serveCmd is the serve command: the HTTP service.
type serveCmd struct {
	e     *env
	flags commonFlags
	addr  string
}

func serveCommand(e *env) *ffcli.Command {
	c := &serveCmd{e: e}
	fs := newFlagSet("serve", e)
	fs.StringVar(&c.addr, "addr", ":8080", "HTTP listen address")
	c.flags.register(fs)
	return &ffcli.Command{
		Name:       "serve",
		ShortUsage: "accessledger serve [flags]",
		ShortHelp:  "serve the HTTP API (the default command)",
		LongHelp: "Serves the HTTP API until SIGINT or SIGTERM. Without a database URL it first\n" +
			"starts a private PostgreSQL cluster in --data-dir, and stops it on the way out.",
		FlagSet: fs,
		Options: ffOptions(),
		Exec:    c.exec,
	}
}

func (c *serveCmd) exec(ctx context.Context, args []string) error {
	if err := noArgs(args); err != nil {
		return err
	}
	log := newLogger(c.e.stderr, c.flags.logLevel)
	db, err := openDatabase(ctx, c.flags, c.e, log)
	if err != nil {
		return err
	}
	defer db.close(ctx, log)
	pool, err := openPool(ctx, db.url)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := migrate(ctx, pool); err != nil {
		return err
	}

	// The event store opens here, on the pool, and closes before it:
	//	store, err := postgres.Open(ctx, pool, postgres.Options{Logger: log})
	//	...
	//	defer store.Close()
	// The HTTP API and the projections take it as they are built.

	srv := apihttp.NewServer(apihttp.Config{Addr: c.addr, Logger: log, Ready: pool.Ping})
	return c.serve(ctx, srv, log)
}

// serve serves srv until ctx ends, then shuts it down gracefully.
func (c *serveCmd) serve(ctx context.Context, srv *apihttp.Server, log *slog.Logger) error {
	addr, err := srv.Listen()
	if err != nil {
		return err
	}
	log.Info("serving HTTP", "addr", addr.String())
	if c.e.serving != nil {
		c.e.serving(addr)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return <-served
}
