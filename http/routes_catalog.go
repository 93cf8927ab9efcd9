package http

import (
	"context"
	nethttp "net/http"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/projections/spend"
)

// catalogKind is one kind of thing a workspace defines and later retires: projects,
// booking categories, visas and clients.
type catalogKind struct {
	path   string // under /v1/workspaces/{ws}
	define func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID, name string) (app.Result, error)
	retire func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID) (app.Result, error)
}

var catalogKinds = []catalogKind{
	{path: "projects",
		define: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID, name string) (app.Result, error) {
			return s.CreateProject(ctx, meta, ws, domain.CreateProject{ProjectID: id, Name: name})
		},
		retire: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID) (app.Result, error) {
			return s.ArchiveProject(ctx, meta, ws, domain.ArchiveProject{ProjectID: id})
		}},
	{path: "booking/categories",
		define: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID, name string) (app.Result, error) {
			return s.DefineBookingCategory(ctx, meta, ws, domain.DefineBookingCategory{CategoryID: id, Name: name})
		},
		retire: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID) (app.Result, error) {
			return s.RetireBookingCategory(ctx, meta, ws, domain.RetireBookingCategory{CategoryID: id})
		}},
	{path: "booking/visas",
		define: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID, name string) (app.Result, error) {
			return s.DefineVisa(ctx, meta, ws, domain.DefineVisa{VisaID: id, Name: name})
		},
		retire: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID) (app.Result, error) {
			return s.RetireVisa(ctx, meta, ws, domain.RetireVisa{VisaID: id})
		}},
	{path: "clients",
		define: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID, name string) (app.Result, error) {
			return s.RegisterClient(ctx, meta, ws, domain.RegisterClient{ClientID: id, Name: name})
		},
		retire: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID) (app.Result, error) {
			return s.RetireClient(ctx, meta, ws, domain.RetireClient{ClientID: id})
		}},
}

func (a *API) catalogRoutes() []route {
	var routes []route
	for _, k := range catalogKinds {
		base := "/v1/workspaces/{ws}/" + k.path
		routes = append(routes,
			route{method: "POST", path: base, handle: a.defineCatalogItem(k)},
			route{method: "DELETE", path: base + "/{id}", handle: a.retireCatalogItem(k)})
	}
	return append(routes, a.spendRoutes()...)
}

type catalogRequest struct {
	withReason
	Name string `json:"name" rule:"name" required:"true"`
}

// catalogItem is the answer to defining one: its id, derived from the command, so that
// a retry with the same Idempotency-Key names the same item.
type catalogItem struct {
	commandResult
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

func (a *API) defineCatalogItem(k catalogKind) handler {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) error {
		return inWorkspace(a, w, r, commandSpec{status: nethttp.StatusCreated}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, req *catalogRequest) (app.Result, any, error) {
			if meta.CommandID == uuid.Nil {
				meta.CommandID = uuid.Must(uuid.NewV7())
			}
			id := app.DerivedID(meta.CommandID, k.path)
			res, err := k.define(ctx, a.App, meta, ws, id, req.Name)
			if err != nil {
				return res, nil, err
			}
			w.Header().Set("Location", "/v1/workspaces/"+ws.String()+"/"+k.path+"/"+id.String())
			return res, catalogItem{commandResult: resultOf(res), ID: id, Name: req.Name}, nil
		})
	}
}

func (a *API) retireCatalogItem(k catalogKind) handler {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		return inWorkspace(a, w, r, commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, _ *reasonOnly) (app.Result, any, error) {
			res, err := k.retire(ctx, a.App, meta, ws, id)
			return res, nil, err
		})
	}
}

// spendModel is the read model of spend scopes, which access checks on spend data read
// beside the access-check model.
var spendModel = spend.SpendScopes{}.Name()

// spendRoutes define the workspace's spend scopes (providers, cloud accounts,
// subscriptions, spend groups) and assign cloud accounts and subscriptions to groups.
func (a *API) spendRoutes() []route {
	group := "/v1/workspaces/{ws}/spend-scopes/{group}/members/{scope}"
	return []route{
		{method: "PUT", path: "/v1/workspaces/{ws}/spend-scopes/{scope}", handle: a.defineSpendScope},
		{method: "PUT", path: group, handle: a.groupSpendScope(false)},
		{method: "DELETE", path: group, handle: a.groupSpendScope(true)},
	}
}

type spendScopeRequest struct {
	withReason
	Name   string `json:"name" rule:"name" required:"true"`
	Parent string `json:"parent" rule:"scope"` // the provider of a cloud account, the cloud account of a subscription
}

func (a *API) defineSpendScope(w nethttp.ResponseWriter, r *nethttp.Request) error {
	scope, err := pathVar(r, "scope")
	if err != nil {
		return err
	}
	return inWorkspace(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, req *spendScopeRequest) (app.Result, any, error) {
		res, err := a.App.DefineSpendScope(ctx, meta, ws, domain.DefineSpendScope{Scope: scope, Parent: req.Parent, Name: req.Name})
		return res, nil, err
	})
}

func (a *API) groupSpendScope(remove bool) handler {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) error {
		group, err := pathVar(r, "group")
		if err != nil {
			return err
		}
		scope, err := pathVar(r, "scope")
		if err != nil {
			return err
		}
		return inWorkspace(a, w, r, commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, _ *reasonOnly) (app.Result, any, error) {
			res, err := a.App.GroupSpendScope(ctx, meta, ws, domain.GroupSpendScope{Group: group, Scope: scope, Remove: remove})
			return res, nil, err
		})
	}
}
