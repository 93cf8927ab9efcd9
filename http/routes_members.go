package http

import (
	"context"
	nethttp "net/http"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// memberPath is the path of one member of a workspace.
const memberPath = "/v1/workspaces/{ws}/members/{account}"

func (a *API) memberRoutes() []route {
	return []route{
		{method: "PUT", path: memberPath + "/role", handle: a.changeRole,
			doc: opDoc{summary: "Change a member's workspace role", req: roleRequest{}}},
		{method: "POST", path: memberPath + "/license/deactivate", handle: rosterCommand(a, a.App.DeactivateLicense, func(id uuid.UUID) domain.DeactivateLicense { return domain.DeactivateLicense{AccountID: id} }),
			doc: opDoc{summary: "Deactivate a member's license, freeing a seat"}},
		{method: "POST", path: memberPath + "/license/reactivate", handle: rosterCommand(a, a.App.ReactivateLicense, func(id uuid.UUID) domain.ReactivateLicense { return domain.ReactivateLicense{AccountID: id} }),
			doc: opDoc{summary: "Reactivate a member's license, taking a seat"}},
		{method: "POST", path: memberPath + "/suspend", handle: a.suspend,
			doc: opDoc{summary: "Suspend a member", req: suspendRequest{}}},
		{method: "POST", path: memberPath + "/reinstate", handle: rosterCommand(a, a.App.ReinstateMember, func(id uuid.UUID) domain.ReinstateMember { return domain.ReinstateMember{AccountID: id} }),
			doc: opDoc{summary: "Reinstate a suspended member"}},
		{method: "DELETE", path: memberPath, handle: rosterCommand(a, a.App.DeleteMember, func(id uuid.UUID) domain.DeleteMember { return domain.DeleteMember{AccountID: id} }),
			doc: opDoc{summary: "Delete a member, restorable for 30 days"}},
		{method: "POST", path: memberPath + "/restore", handle: rosterCommand(a, a.App.RestoreMember, func(id uuid.UUID) domain.RestoreMember { return domain.RestoreMember{AccountID: id} }),
			doc: opDoc{summary: "Restore a deleted member with every grant"}},
		{method: "POST", path: memberPath + "/welcome-email", handle: rosterCommand(a, a.App.SendWelcomeEmail, func(id uuid.UUID) domain.SendWelcomeEmail { return domain.SendWelcomeEmail{AccountID: id} }),
			doc: opDoc{summary: "Send the welcome email, at most once"}},
	}
}

// rosterCommand answers the handler of a roster command whose only field is the member.
func rosterCommand[C any](a *API, run func(context.Context, app.Meta, uuid.UUID, C) (app.Result, error), build func(uuid.UUID) C) handler {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) error {
		return onMember(a, w, r, commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, _ *reasonOnly) (app.Result, error) {
			return run(ctx, meta, ws, build(account))
		})
	}
}

type roleRequest struct {
	withReason
	Role string `json:"role" rule:"grantable_role" required:"true"`
}

func (a *API) changeRole(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *roleRequest) (app.Result, error) {
		return a.App.ChangeRole(ctx, meta, ws, domain.ChangeRole{AccountID: account, Role: domain.WorkspaceRole(req.Role)})
	})
}

type suspendRequest struct {
	// Reason is the command's reason and the suspension's, which the member is shown.
	Reason string `json:"reason" rule:"suspension_reason" required:"true"`
	Until  string `json:"until" rule:"time"` // RFC 3339; empty: until reinstated
}

func (s suspendRequest) reason() string { return s.Reason }

func (a *API) suspend(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *suspendRequest) (app.Result, error) {
		until, err := parseOptionalTime("until", req.Until)
		if err != nil {
			return app.Result{}, err
		}
		return a.App.SuspendMember(ctx, meta, ws, domain.SuspendMember{AccountID: account, Reason: req.Reason, Until: until})
	})
}
