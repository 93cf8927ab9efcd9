package http

import (
	"context"
	nethttp "net/http"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

func (a *API) workspaceRoutes() []route {
	return []route{
		{method: "POST", path: "/v1/workspaces", handle: a.createWorkspace,
			doc: opDoc{summary: "Create a workspace with its owner (platform admins); answers an owner API token", req: createWorkspaceRequest{}, resp: createdWorkspace{}, ok: 201}},
		{method: "GET", path: "/v1/workspaces/{ws}", handle: a.getWorkspace,
			doc: opDoc{summary: "Read a workspace", resp: app.WorkspaceInfo{}}},
		{method: "PATCH", path: "/v1/workspaces/{ws}", handle: a.renameWorkspace,
			doc: opDoc{summary: "Rename a workspace", req: renameRequest{}}},
		{method: "PUT", path: "/v1/workspaces/{ws}/plan", handle: a.changePlan,
			doc: opDoc{summary: "Change the plan's seats (owner)", req: planRequest{}}},
		{method: "POST", path: "/v1/workspaces/{ws}/ownership", handle: a.transferOwnership,
			doc: opDoc{summary: "Transfer ownership to an active admin (owner)", req: ownershipRequest{}}},
		{method: "PUT", path: "/v1/workspaces/{ws}/modules/{module}", handle: a.setModule,
			doc: opDoc{summary: "Enable or disable a module and set its minimum role", req: moduleRequest{}}},
		{method: "DELETE", path: "/v1/workspaces/{ws}", handle: a.deleteWorkspace,
			doc: opDoc{summary: "Delete the workspace, with a reason, restorable for 30 days (owner)", req: deleteWorkspaceRequest{}}},
		{method: "POST", path: "/v1/workspaces/{ws}/restore", handle: a.restoreWorkspace,
			doc: opDoc{summary: "Restore a deleted workspace within 30 days (owner, platform admins)"}},
	}
}

type createWorkspaceRequest struct {
	withReason
	Name  string `json:"name" rule:"name" required:"true"`
	Seats int    `json:"seats" rule:"seats" required:"true"`
	Owner struct {
		Email     string `json:"email" rule:"email" required:"true"`
		FirstName string `json:"first_name" rule:"name" required:"true"`
		LastName  string `json:"last_name" rule:"name" required:"true"`
		Login     string `json:"login" rule:"login"`
		Phone     string `json:"phone" rule:"phone"`
	} `json:"owner" required:"true"`
}

type createdWorkspace struct {
	commandResult
	WorkspaceID    uuid.UUID `json:"workspace_id"`
	OwnerAccountID uuid.UUID `json:"owner_account_id"`
	// OwnerToken is an API token for the owner, shown once.
	OwnerToken string `json:"owner_token"`
}

// createWorkspace creates a workspace and its owner (platform admins), and answers an
// API token for the owner: derived from the command, so that a retry answers it again.
func (a *API) createWorkspace(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return runCommand(a, w, r, commandSpec{status: nethttp.StatusCreated}, func(ctx context.Context, meta app.Meta, req *createWorkspaceRequest) (app.Result, any, error) {
		if meta.CommandID == uuid.Nil {
			meta.CommandID = uuid.Must(uuid.NewV7())
		}
		o := req.Owner
		created, err := a.App.CreateWorkspace(ctx, meta, app.CreateWorkspace{Name: req.Name, Seats: req.Seats,
			Owner: domain.RegisterAccount{Email: o.Email, FirstName: o.FirstName, LastName: o.LastName, Login: o.Login, Phone: o.Phone}})
		if err != nil {
			return app.Result{}, nil, err
		}
		secret, err := a.issueToken(ctx, meta, created.WorkspaceID, created.OwnerAccountID, "owner")
		if err != nil {
			return app.Result{}, nil, err
		}
		w.Header().Set("Location", "/v1/workspaces/"+created.WorkspaceID.String())
		return created.Result, createdWorkspace{commandResult: resultOf(created.Result), WorkspaceID: created.WorkspaceID,
			OwnerAccountID: created.OwnerAccountID, OwnerToken: secret}, nil
	})
}

// getWorkspace answers the workspace's profile, plan and seats, its version in ETag.
func (a *API) getWorkspace(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, err := pathID(r, "ws")
	if err != nil {
		return err
	}
	if err := newQuery(r.URL).done(); err != nil {
		return err
	}
	info, err := a.App.Workspace(r.Context(), ws, actor(r))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(domain.WorkspaceStream(ws), info.Version))
	writeJSON(w, nethttp.StatusOK, info)
	return nil
}

type renameRequest struct {
	withReason
	Name string `json:"name" rule:"name" required:"true"`
}

func (a *API) renameWorkspace(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return inWorkspace(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, req *renameRequest) (app.Result, any, error) {
		res, err := a.App.RenameWorkspace(ctx, meta, ws, domain.RenameWorkspace{Name: req.Name})
		return res, nil, err
	})
}

type planRequest struct {
	withReason
	Seats int `json:"seats" rule:"seats" required:"true"`
}

func (a *API) changePlan(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return inWorkspace(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, req *planRequest) (app.Result, any, error) {
		res, err := a.App.ChangePlan(ctx, meta, ws, domain.ChangePlan{Seats: req.Seats})
		return res, nil, err
	})
}

type ownershipRequest struct {
	withReason
	AccountID string `json:"account_id" rule:"uuid" required:"true"`
}

func (a *API) transferOwnership(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return inWorkspace(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, req *ownershipRequest) (app.Result, any, error) {
		to, err := parseID("account_id", req.AccountID)
		if err != nil {
			return app.Result{}, nil, err
		}
		res, err := a.App.TransferOwnership(ctx, meta, ws, domain.TransferOwnership{To: to})
		return res, nil, err
	})
}

type moduleRequest struct {
	withReason
	Enabled bool   `json:"enabled"`
	MinRole string `json:"min_role" rule:"workspace_role" required:"true"`
}

func (a *API) setModule(w nethttp.ResponseWriter, r *nethttp.Request) error {
	module, err := pathVar(r, "module")
	if err != nil {
		return err
	}
	return inWorkspace(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, req *moduleRequest) (app.Result, any, error) {
		res, err := a.App.SetModule(ctx, meta, ws, domain.SetModule{Module: module, Enabled: req.Enabled, MinRole: domain.WorkspaceRole(req.MinRole)})
		return res, nil, err
	})
}

type deleteWorkspaceRequest struct {
	// Reason is the command's reason and the deletion's, which members and auditors read.
	Reason string `json:"reason" rule:"suspension_reason" required:"true"`
}

func (d deleteWorkspaceRequest) reason() string { return d.Reason }

// ForceRequestBody makes the OpenAPI document state the body of this DELETE: it takes
// a required reason.
func (deleteWorkspaceRequest) ForceRequestBody() {}

// deleteWorkspace deletes the workspace (its owner or a platform admin), restorably for
// 30 days; from then on it answers 404 workspace_deleted to its members.
func (a *API) deleteWorkspace(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return inWorkspace(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, req *deleteWorkspaceRequest) (app.Result, any, error) {
		res, err := a.App.DeleteWorkspace(ctx, meta, ws, domain.DeleteWorkspace{Reason: req.Reason})
		return res, nil, err
	})
}

// restoreWorkspace restores a deleted workspace within 30 days (its owner or a platform admin).
func (a *API) restoreWorkspace(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return inWorkspace(a, w, r, commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, _ *reasonOnly) (app.Result, any, error) {
		res, err := a.App.RestoreWorkspace(ctx, meta, ws)
		return res, nil, err
	})
}
