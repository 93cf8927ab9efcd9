package http

import (
	"context"
	nethttp "net/http"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// accessRequestRoutes are the requests of accounts to join a workspace.
func (a *API) accessRequestRoutes() []route {
	return []route{
		{method: "POST", path: "/v1/workspaces/{ws}/access-requests", handle: a.requestAccess,
			doc: opDoc{summary: "Ask to join the workspace, as the calling account", ok: 201}},
		{method: "POST", path: "/v1/workspaces/{ws}/access-requests/{account}/approve", handle: a.approveAccess,
			doc: opDoc{summary: "Approve an access request with a role", req: approveRequest{}}},
		{method: "POST", path: "/v1/workspaces/{ws}/access-requests/{account}/reject", handle: a.rejectAccess,
			doc: opDoc{summary: "Reject an access request"}},
	}
}

// requestAccess puts the calling account on the roster as pending.
func (a *API) requestAccess(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return runCommand(a, w, r, commandSpec{optionalBody: true, status: nethttp.StatusCreated}, func(ctx context.Context, meta app.Meta, _ *reasonOnly) (app.Result, any, error) {
		ws, err := pathID(r, "ws")
		if err != nil {
			return app.Result{}, nil, err
		}
		res, err := a.App.RequestAccess(ctx, meta, ws, domain.RequestAccess{AccountID: meta.Actor.AccountID})
		return res, nil, err
	})
}

type approveRequest struct {
	withReason
	Role string `json:"role" rule:"grantable_role" required:"true"`
}

func (a *API) approveAccess(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *approveRequest) (app.Result, error) {
		return a.App.ApproveAccess(ctx, meta, ws, domain.ApproveAccess{AccountID: account, Role: domain.WorkspaceRole(req.Role)})
	})
}

func (a *API) rejectAccess(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, _ *reasonOnly) (app.Result, error) {
		return a.App.RejectAccess(ctx, meta, ws, domain.RejectAccess{AccountID: account})
	})
}
