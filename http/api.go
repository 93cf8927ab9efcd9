package http

import (
	"context"
	"errors"
	"log/slog"
	nethttp "net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"accessledger/app"
	"accessledger/eventstore"
	"accessledger/projections"
)

// Waiter waits until read models have applied the log up to a position:
// *projections.Runtime.
type Waiter interface {
	WaitFor(ctx context.Context, pos eventstore.Position, names ...string) error
	// Serving answers an error wrapping projections.ErrNotReady while a read model named
	// cannot answer yet (it is being built at start), nil once it can.
	Serving(names ...string) error
}

// EventLog is what the auditor endpoints read raw events from: the event store.
type EventLog interface {
	eventstore.StreamReader
	eventstore.LogReader
}

// APIConfig is what the v1 API needs. Every field is required.
type APIConfig struct {
	// App runs commands and authorizes queries against the latest roster.
	App *app.Service
	// Tokens authenticates callers and issues the tokens of accepted invitations.
	Tokens Tokens
	// Reads answers read model queries: the Postgres pool.
	Reads projections.Querier
	// Waiter makes queries wait for the consistency token they are given.
	Waiter Waiter
	// Events is the event store, for the auditor endpoints.
	Events EventLog
	// Operations are the projections of the process, for platform admins.
	Operations Operations
	// TokenAdmin lists and revokes the tokens of an account.
	TokenAdmin TokenAdmin
	// InvitationURL is where an invitee accepts: the URL-escaped invitation token is
	// appended to it, e.g. "https://admin.example.com/accept?token=".
	InvitationURL string
	// TokenKey derives the API token that accepting an invitation answers, so that a
	// retried accept answers the same token. The same key in every process.
	TokenKey []byte
}

// API serves /v1. Create it with NewAPI and pass it to Config.API.
type API struct {
	APIConfig
	log     *slog.Logger
	metrics *Metrics // nil: not measured

	docOnce sync.Once // builds doc, the OpenAPI document
	doc     []byte
	docErr  error
}

// NewAPI answers the v1 API of cfg.
func NewAPI(cfg APIConfig) *API {
	return &API{APIConfig: cfg, log: slog.New(slog.DiscardHandler)}
}

// handler is a route's handler: an error it answers becomes a problem document.
type handler func(w nethttp.ResponseWriter, r *nethttp.Request) error

// route is one operation of the API.
type route struct {
	method, path string
	handle       handler
	public       bool // served without a token
	doc          opDoc
}

// routes answers every operation of the API.
func (a *API) routes() []route {
	var all []route
	// Each resource declares its routes, their handlers and their docs in its own
	// routes_*.go file.
	for _, group := range [][]route{a.workspaceRoutes(), a.catalogRoutes(), a.spendScopeRoutes(), a.invitationRoutes(),
		a.accessRequestRoutes(), a.memberRoutes(), a.grantRoutes(), a.memberHistoryRoutes(), a.licenseRoutes(),
		a.bookerRoutes(), a.accessCheckRoutes(), a.activityRoutes(), a.eventRoutes(), a.accountRoutes(), a.tokenRoutes(),
		a.projectionRoutes(), a.openAPIRoutes()} {
		all = append(all, group...)
	}
	return all
}

// register adds the API's routes to router.
func (a *API) register(router *mux.Router, log *slog.Logger, metrics *Metrics) {
	a.log, a.metrics = log, metrics
	for _, rt := range a.routes() {
		h := nethttp.Handler(a.serve(rt.handle))
		if !rt.public {
			h = a.authenticate(h)
		}
		router.Handle(rt.path, h).Methods(rt.method)
	}
}

func (a *API) serve(h handler) nethttp.HandlerFunc {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) {
		err := h(w, r)
		if err == nil {
			a.metrics.command(r, "ok")
			return
		}
		p := a.problemOf(r, err)
		a.metrics.command(r, p.Code)
		writeProblemDoc(w, p)
	}
}

// consistencyWait bounds how long a query waits for its consistency token.
const consistencyWait = 5 * time.Second

// errNotCaughtUp answers a query whose read model did not reach its consistency token in
// time: 503 with Retry-After.
var errNotCaughtUp = errors.New("the read model has not caught up")

// waitConsistent refuses a query, 503 not_ready, while a read model it names is still
// being built at start, and makes it wait, when r carries X-Consistency-Token, until the
// named read models have applied the log up to it.
func (a *API) waitConsistent(w nethttp.ResponseWriter, r *nethttp.Request, names ...string) error {
	if err := a.Waiter.Serving(names...); err != nil {
		return err
	}
	text := r.Header.Get(consistencyHeader)
	if text == "" {
		return nil
	}
	pos, err := eventstore.ParsePosition(text)
	if err != nil {
		return badField(consistencyHeader, "must be a consistency token this API answered")
	}
	return a.waitFor(w, r, pos, names...)
}

// waitFor waits, up to consistencyWait, until the named read models have applied the
// log up to pos (the zero position: at once); past that, 503 not_caught_up.
func (a *API) waitFor(w nethttp.ResponseWriter, r *nethttp.Request, pos eventstore.Position, names ...string) error {
	if pos == (eventstore.Position{}) {
		return nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), consistencyWait)
	defer cancel()
	if err := a.Waiter.WaitFor(ctx, pos, names...); err != nil {
		if errors.Is(err, context.DeadlineExceeded) && r.Context().Err() == nil {
			w.Header().Set("Retry-After", "1")
			return errNotCaughtUp
		}
		return err
	}
	return nil
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
