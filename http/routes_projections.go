package http

import (
	"context"
	"errors"
	nethttp "net/http"

	"accessledger/domain"
	"accessledger/projections"
)

// Operations is what platform admins operate on: the projections of the serving
// process.
type Operations interface {
	// Status answers the state and lag of every projection.
	Status(ctx context.Context) ([]projections.Status, error)
	// StartRebuild starts rebuilding the projection named, in the background; it fails
	// with projections.ErrRebuildRunning when one is under way, and answers false for an
	// unknown name.
	StartRebuild(ctx context.Context, name string) (bool, error)
}

// projectionRoutes let platform admins follow and rebuild the projections.
func (a *API) projectionRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/projections", handle: a.projectionStatus,
			doc: opDoc{summary: "Projections' state and lag (platform admins)", resp: page[projections.Status]{}}},
		{method: "POST", path: "/v1/projections/{name}/rebuild", handle: a.startRebuild,
			doc: opDoc{summary: "Start rebuilding a projection (platform admins)", resp: rebuildStarted{}, ok: 202, noBody: true}},
	}
}

func requirePlatformAdmin(r *nethttp.Request) error {
	if !caller(r).PlatformAdmin {
		return domain.Forbidden("only platform admins operate the projections")
	}
	return nil
}

func (a *API) projectionStatus(w nethttp.ResponseWriter, r *nethttp.Request) error {
	if err := newQuery(r.URL).done(); err != nil {
		return err
	}
	if err := requirePlatformAdmin(r); err != nil {
		return err
	}
	statuses, err := a.Operations.Status(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, page[projections.Status]{Items: statuses})
	return nil
}

// startRebuild answers 202 once the rebuild is claimed; GET /v1/projections follows it.
func (a *API) startRebuild(w nethttp.ResponseWriter, r *nethttp.Request) error {
	if err := requirePlatformAdmin(r); err != nil {
		return err
	}
	name, err := pathVar(r, "name")
	if err != nil {
		return err
	}
	if err := refuseBody(r); err != nil {
		return err
	}
	if err := newQuery(r.URL).done(); err != nil {
		return err
	}
	found, err := a.Operations.StartRebuild(r.Context(), name)
	if errors.Is(err, projections.ErrRebuildRunning) {
		return &domain.Error{Kind: domain.KindConflict, Code: "rebuild_running", Message: err.Error()}
	}
	if err != nil {
		return err
	}
	if !found {
		return domain.NotFound("no projection named %q", name)
	}
	w.Header().Set("Location", "/v1/projections")
	writeJSON(w, nethttp.StatusAccepted, rebuildStarted{Projection: name, State: projections.StateRebuilding})
	return nil
}

// rebuildStarted is the answer to starting a rebuild.
type rebuildStarted struct {
	Projection string `json:"projection"`
	State      string `json:"state"`
}
