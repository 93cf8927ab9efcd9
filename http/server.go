// Package http is accessledger's HTTP interface: the JSON API, the health endpoints that
// orchestrators probe and the Prometheus metrics, served with gorilla/mux. Errors are RFC
// 9457 problem documents (application/problem+json) with a stable code.
package http

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	nethttp "net/http"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Config says where a Server listens and what it checks.
type Config struct {
	// Addr is the TCP address to listen on, e.g. ":8080"; port 0 picks a free port.
	Addr string
	// Logger receives one line per request and the server's errors; nil discards them.
	Logger *slog.Logger
	// Ready tells whether the service can do its work (e.g. reach its database): GET
	// /readyz answers 503 while it returns an error. Nil means always ready.
	Ready func(ctx context.Context) error
	// FailedProjections answers the names of the read models that stopped on an error
	// and wait for an operator: GET /readyz answers 503, naming them, while it answers
	// any, and when it fails. Nil means no read model is checked.
	FailedProjections func(ctx context.Context) ([]string, error)
	// Metrics is served at GET /metrics in the Prometheus exposition format. Nil means
	// no /metrics route: it answers 404, as any unknown path.
	Metrics prometheus.Gatherer
	// API is the v1 API served under /v1. Nil serves only the health and metrics routes.
	API *API
	// RequestMetrics, when set, counts and times every request and command; register
	// it with Metrics' registry.
	RequestMetrics *Metrics
}

// Server serves accessledger over HTTP. Listen, then Serve; Shutdown stops it.
type Server struct {
	addr    string
	log     *slog.Logger
	ready   func(ctx context.Context) error
	failed  func(ctx context.Context) ([]string, error)
	metrics prometheus.Gatherer
	api     *API
	reqs    *Metrics
	router  *mux.Router
	srv     *nethttp.Server
	ln      net.Listener
}

// NewServer answers a Server for cfg, with its routes set up, not yet listening.
func NewServer(cfg Config) *Server {
	s := &Server{
		addr: cfg.Addr, log: cfg.Logger, ready: cfg.Ready, failed: cfg.FailedProjections, metrics: cfg.Metrics,
		api: cfg.API, reqs: cfg.RequestMetrics, router: mux.NewRouter(),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.ready == nil {
		s.ready = func(context.Context) error { return nil }
	}
	if s.failed == nil {
		s.failed = func(context.Context) ([]string, error) { return nil, nil }
	}
	s.routes()
	s.srv = &nethttp.Server{
		Handler: s.Handler(),
		// Bounds how long a client may take to send its headers (slowloris).
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return s
}

func (s *Server) routes() {
	s.router.HandleFunc("/healthz", s.handleHealthz).Methods(nethttp.MethodGet)
	s.router.HandleFunc("/readyz", s.handleReadyz).Methods(nethttp.MethodGet)
	if s.metrics != nil {
		s.router.Handle("/metrics", promhttp.HandlerFor(s.metrics, promhttp.HandlerOpts{
			ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
			// A collector that fails must not hide the metrics of the others.
			ErrorHandling: promhttp.ContinueOnError,
		})).Methods(nethttp.MethodGet)
	}
	if s.reqs != nil {
		s.router.Use(s.reqs.measure)
	}
	if s.api != nil {
		s.api.register(s.router, s.log, s.reqs)
	}
	s.router.NotFoundHandler = nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		writeProblem(w, nethttp.StatusNotFound, "not_found", "no such route: "+r.URL.Path)
	})
	s.router.MethodNotAllowedHandler = nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		writeProblem(w, nethttp.StatusMethodNotAllowed, codeMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path)
	})
}

// Handler answers the server's routes with request logging, for use without Listen
// (e.g. with net/http/httptest).
func (s *Server) Handler() nethttp.Handler {
	return withRequestID(s.logRequests(s.router))
}

// Listen binds the configured address and answers the address bound, which tells the
// port picked for port 0. Requests are accepted once Serve runs.
func (s *Server) Listen() (net.Addr, error) {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", s.addr, err)
	}
	s.ln = ln
	return ln.Addr(), nil
}

// Serve serves requests on the listener of Listen until Shutdown, and then returns nil.
func (s *Server) Serve() error {
	if s.ln == nil {
		return errors.New("http: Serve called before Listen")
	}
	if err := s.srv.Serve(s.ln); !errors.Is(err, nethttp.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", s.ln.Addr(), err)
	}
	return nil
}

// Shutdown stops accepting requests and waits for those in flight to finish, or for ctx
// to end (then it answers ctx's error and closes the remaining connections).
func (s *Server) Shutdown(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil {
		closeErr := s.srv.Close()
		return errors.Join(fmt.Errorf("shut down http server: %w", err), closeErr)
	}
	return nil
}
