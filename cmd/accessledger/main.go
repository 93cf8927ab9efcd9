// Command accessledger is the accessledger service and its tools: serve (the default)
// runs the HTTP API and the projections, migrate applies the database schema, projections
// shows and rebuilds the read models, verify checks the event log's hash chains. Run with
// -h for the flags and environment variables.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, a second one gets the default treatment and ends the
	// process at once; the PostgreSQL child still shuts down, on its parent-death signal.
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr})
	stop()
	os.Exit(code)
}
