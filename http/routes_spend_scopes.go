package http

import (
	"context"
	nethttp "net/http"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// spendScopeRoutes define the workspace's spend scopes (providers, cloud accounts,
// subscriptions, spend groups) and assign cloud accounts and subscriptions to groups.
func (a *API) spendScopeRoutes() []route {
	group := "/v1/workspaces/{ws}/spend-scopes/{group}/members/{scope}"
	return []route{
		{method: "PUT", path: "/v1/workspaces/{ws}/spend-scopes/{scope}", handle: a.defineSpendScope,
			doc: opDoc{summary: "Define a provider, cloud account, subscription or spend group (admins)", req: spendScopeRequest{}}},
		{method: "PUT", path: group, handle: a.groupSpendScope(false),
			doc: opDoc{summary: "Assign a cloud account or subscription to a spend group (admins)"}},
		{method: "DELETE", path: group, handle: a.groupSpendScope(true),
			doc: opDoc{summary: "Take a cloud account or subscription out of a spend group (admins)"}},
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
