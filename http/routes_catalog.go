package http

import (
	"context"
	nethttp "net/http"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// catalogKind is one kind of thing a workspace defines and later retires: projects,
// booking categories, visas and clients.
type catalogKind struct {
	path string // under /v1/workspaces/{ws}
	// defined and retired are the summaries of the two operations in the document.
	defined, retired string
	define           func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID, name string) (app.Result, error)
	retire           func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID) (app.Result, error)
}

var catalogKinds = []catalogKind{
	{path: "projects", defined: "Define a project", retired: "Archive a project",
		define: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID, name string) (app.Result, error) {
			return s.CreateProject(ctx, meta, ws, domain.CreateProject{ProjectID: id, Name: name})
		},
		retire: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID) (app.Result, error) {
			return s.ArchiveProject(ctx, meta, ws, domain.ArchiveProject{ProjectID: id})
		}},
	{path: "booking/categories", defined: "Define a booking category", retired: "Retire a booking category",
		define: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID, name string) (app.Result, error) {
			return s.DefineBookingCategory(ctx, meta, ws, domain.DefineBookingCategory{CategoryID: id, Name: name})
		},
		retire: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID) (app.Result, error) {
			return s.RetireBookingCategory(ctx, meta, ws, domain.RetireBookingCategory{CategoryID: id})
		}},
	{path: "booking/visas", defined: "Define a visa", retired: "Retire a visa",
		define: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID, name string) (app.Result, error) {
			return s.DefineVisa(ctx, meta, ws, domain.DefineVisa{VisaID: id, Name: name})
		},
		retire: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID) (app.Result, error) {
			return s.RetireVisa(ctx, meta, ws, domain.RetireVisa{VisaID: id})
		}},
	{path: "clients", defined: "Register a client account", retired: "Retire a client account",
		define: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID, name string) (app.Result, error) {
			return s.RegisterClient(ctx, meta, ws, domain.RegisterClient{ClientID: id, Name: name})
		},
		retire: func(ctx context.Context, s *app.Service, meta app.Meta, ws, id uuid.UUID) (app.Result, error) {
			return s.RetireClient(ctx, meta, ws, domain.RetireClient{ClientID: id})
		}},
}

// catalogRoutes define and retire the items of each catalogKind.
func (a *API) catalogRoutes() []route {
	var routes []route
	for _, k := range catalogKinds {
		base := "/v1/workspaces/{ws}/" + k.path
		routes = append(routes,
			route{method: "POST", path: base, handle: a.defineCatalogItem(k),
				doc: opDoc{summary: k.defined, req: catalogRequest{}, resp: catalogItem{}, ok: 201}},
			route{method: "DELETE", path: base + "/{id}", handle: a.retireCatalogItem(k), doc: opDoc{summary: k.retired}})
	}
	return routes
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
