package http

import (
	"accessledger/projections/access"
	nethttp "net/http"
	"time"

	"accessledger/domain"
)

// accessCheckRoutes decide whether an account may do an action.
func (a *API) accessCheckRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/workspaces/{ws}/access/check", handle: a.checkAccess,
			doc: opDoc{summary: "May an account do an action, from one indexed row", resp: decisionView{}, query: checkParams}},
	}
}

// checkAccess answers whether an account may do an action in the workspace, from one row
// of the access-check read model.
func (a *API) checkAccess(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, q, err := workspaceQuery(r, checkParams...)
	if err != nil {
		return err
	}
	account, action := q.id("account"), q.str("action")
	if err := q.done(); err != nil {
		return err
	}
	if err := a.authorize(w, r, ws, domain.ReadAccess, account, accessModel, spendModel); err != nil {
		return err
	}
	d, err := access.CheckAccess(r.Context(), a.Reads, ws, account, action, time.Now())
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, decisionView{Allowed: d.Allowed, Reason: d.Reason})
	return nil
}
