package http

import (
	"context"
	nethttp "net/http"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

func (a *API) grantRoutes() []route {
	return []route{
		{method: "PUT", path: memberPath + "/projects/{project}", handle: a.assignProjectRole,
			doc: opDoc{summary: "Give a member a role in a project", req: projectRoleRequest{}}},
		{method: "DELETE", path: memberPath + "/projects/{project}", handle: a.removeFromProject,
			doc: opDoc{summary: "Remove a member from a project"}},
		{method: "PUT", path: memberPath + "/visas/{category}", handle: a.grantVisa,
			doc: opDoc{summary: "Grant a visa on a booking category", req: visaRequest{}}},
		{method: "DELETE", path: memberPath + "/visas/{category}", handle: a.revokeVisa,
			doc: opDoc{summary: "Revoke a member's visa on a category"}},
		{method: "PUT", path: memberPath + "/clients/{client}", handle: a.linkClient,
			doc: opDoc{summary: "Link a member to a client account"}},
		{method: "DELETE", path: memberPath + "/clients/{client}", handle: a.unlinkClient,
			doc: opDoc{summary: "Unlink a member from a client account"}},
		{method: "PUT", path: memberPath + "/permissions", handle: a.setPermissions,
			doc: opDoc{summary: "Set permission overrides of the role's defaults", req: permissionsRequest{}}},
		{method: "PUT", path: memberPath + "/scopes/{scope}", handle: a.setScope,
			doc: opDoc{summary: "Set a member's level on a scope", req: scopeRequest{}}},
		{method: "POST", path: memberPath + "/copy-permissions", handle: a.copyPermissions,
			doc: opDoc{summary: "Copy another member's grants", req: copyRequest{}}},
		{method: "PUT", path: memberPath + "/security", handle: a.setSecurity,
			doc: opDoc{summary: "Set a member's security settings", req: securityRequest{}}},
		{method: "PUT", path: memberPath + "/contract", handle: a.setContract,
			doc: opDoc{summary: "Set a member's contract information", req: contractRequest{}}},
	}
}

// onMemberItem is onMember for a command about one item (a project, a category, a
// client) named by path variable name.
func onMemberItem[T reasoned](a *API, w nethttp.ResponseWriter, r *nethttp.Request, name string, spec commandSpec,
	do func(ctx context.Context, meta app.Meta, ws, account, item uuid.UUID, req *T) (app.Result, error),
) error {
	item, err := pathID(r, name)
	if err != nil {
		return err
	}
	return onMember(a, w, r, spec, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *T) (app.Result, error) {
		return do(ctx, meta, ws, account, item, req)
	})
}

type projectRoleRequest struct {
	withReason
	Role string `json:"role" rule:"project_role" required:"true"`
}

func (a *API) assignProjectRole(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMemberItem(a, w, r, "project", commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account, project uuid.UUID, req *projectRoleRequest) (app.Result, error) {
		return a.App.AssignProjectRole(ctx, meta, ws, account, domain.AssignProjectRole{ProjectID: project, Role: domain.ProjectRole(req.Role)})
	})
}

func (a *API) removeFromProject(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMemberItem(a, w, r, "project", commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws, account, project uuid.UUID, _ *reasonOnly) (app.Result, error) {
		return a.App.RemoveFromProject(ctx, meta, ws, account, domain.RemoveFromProject{ProjectID: project})
	})
}

type visaRequest struct {
	withReason
	VisaID     string `json:"visa_id" rule:"uuid" required:"true"`
	ValidUntil string `json:"valid_until" rule:"time"` // RFC 3339; empty: no end
}

func (a *API) grantVisa(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMemberItem(a, w, r, "category", commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account, category uuid.UUID, req *visaRequest) (app.Result, error) {
		visa, err := parseID("visa_id", req.VisaID)
		if err != nil {
			return app.Result{}, err
		}
		until, err := parseOptionalTime("valid_until", req.ValidUntil)
		if err != nil {
			return app.Result{}, err
		}
		return a.App.GrantVisa(ctx, meta, ws, account, domain.GrantVisa{CategoryID: category, VisaID: visa, ValidUntil: until})
	})
}

func (a *API) revokeVisa(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMemberItem(a, w, r, "category", commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws, account, category uuid.UUID, _ *reasonOnly) (app.Result, error) {
		return a.App.RevokeVisa(ctx, meta, ws, account, domain.RevokeVisa{CategoryID: category})
	})
}

func (a *API) linkClient(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMemberItem(a, w, r, "client", commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws, account, client uuid.UUID, _ *reasonOnly) (app.Result, error) {
		return a.App.LinkClient(ctx, meta, ws, account, domain.LinkClient{ClientID: client})
	})
}

func (a *API) unlinkClient(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMemberItem(a, w, r, "client", commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws, account, client uuid.UUID, _ *reasonOnly) (app.Result, error) {
		return a.App.UnlinkClient(ctx, meta, ws, account, domain.UnlinkClient{ClientID: client})
	})
}

type permissionsRequest struct {
	withReason
	Grant []string `json:"grant" rule:"feature_key"`
	Deny  []string `json:"deny" rule:"feature_key"`
}

func (a *API) setPermissions(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *permissionsRequest) (app.Result, error) {
		return a.App.SetPermissionOverrides(ctx, meta, ws, account, domain.SetPermissionOverrides{Grant: req.Grant, Deny: req.Deny})
	})
}

type scopeRequest struct {
	withReason
	Level string `json:"level" rule:"scope_level" required:"true"`
}

func (a *API) setScope(w nethttp.ResponseWriter, r *nethttp.Request) error {
	scope, err := pathVar(r, "scope")
	if err != nil {
		return err
	}
	return onMember(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *scopeRequest) (app.Result, error) {
		return a.App.SetScopeAccess(ctx, meta, ws, account, domain.SetScopeAccess{Scope: scope, Level: domain.ScopeLevel(req.Level)})
	})
}

type copyRequest struct {
	withReason
	FromAccountID string `json:"from_account_id" rule:"uuid" required:"true"`
}

func (a *API) copyPermissions(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *copyRequest) (app.Result, error) {
		from, err := parseID("from_account_id", req.FromAccountID)
		if err != nil {
			return app.Result{}, err
		}
		return a.App.CopyPermissions(ctx, meta, ws, account, from)
	})
}

type securityRequest struct {
	withReason
	MFAEveryLogin            bool `json:"mfa_every_login"`
	MFAAfterInactivityDays   int  `json:"mfa_after_inactivity_days" rule:"days"`
	BlockAfterInactivityDays int  `json:"block_after_inactivity_days" rule:"days"`
	PasswordMaxAgeDays       int  `json:"password_max_age_days" rule:"days"`
}

func (a *API) setSecurity(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *securityRequest) (app.Result, error) {
		return a.App.SetSecuritySettings(ctx, meta, ws, account, domain.SetSecuritySettings{MFAEveryLogin: req.MFAEveryLogin,
			MFAAfterInactivityDays: req.MFAAfterInactivityDays, BlockAfterInactivityDays: req.BlockAfterInactivityDays,
			PasswordMaxAgeDays: req.PasswordMaxAgeDays})
	})
}

type contractRequest struct {
	withReason
	Reference  string `json:"reference" rule:"contract_reference"`
	EndsOn     string `json:"ends_on" rule:"date"` // YYYY-MM-DD; empty: open-ended
	Convention string `json:"convention" rule:"contract_convention"`
}

func (a *API) setContract(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *contractRequest) (app.Result, error) {
		return a.App.SetContractInfo(ctx, meta, ws, account, domain.SetContractInfo{Reference: req.Reference, EndsOn: req.EndsOn, Convention: req.Convention})
	})
}
