package http

import (
	"context"
	nethttp "net/http"
	"slices"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/projections"
)

func (a *API) accountRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/accounts/{account}", handle: a.getAccount},
		{method: "PATCH", path: "/v1/accounts/{account}", handle: a.patchAccount},
	}
}

type accountView struct {
	AccountID uuid.UUID `json:"account_id"`
	Email     string    `json:"email"`
	Login     string    `json:"login,omitempty"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	Phone     string    `json:"phone,omitempty"`
}

// accountAuthority answers the workspaces through which r's caller may manage account,
// or not_found when the caller may not: an account's existence is not disclosed. The
// member list only proposes workspaces, those of the account and those of the caller
// (which holds the caller's long-standing memberships even when the account's are too
// new for it); the decision is taken against their latest rosters.
func (a *API) accountAuthority(ctx context.Context, r *nethttp.Request, account uuid.UUID) ([]uuid.UUID, error) {
	via, err := projections.AccountWorkspaces(ctx, a.Reads, account)
	if err != nil {
		return nil, err
	}
	if by := callerAccount(r); by != account {
		own, err := projections.AccountWorkspaces(ctx, a.Reads, by)
		if err != nil {
			return nil, err
		}
		for _, ws := range own {
			if !slices.Contains(via, ws) {
				via = append(via, ws)
			}
		}
	}
	ok, err := a.App.MayManageAccount(ctx, actor(r), account, via)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, accountNotFound(account)
	}
	return via, nil
}

func accountNotFound(account uuid.UUID) error {
	return domain.NotFound("account %s not found", account)
}

// getAccount answers an account's profile, to the account itself, platform admins and
// the admins of a workspace it belongs to.
func (a *API) getAccount(w nethttp.ResponseWriter, r *nethttp.Request) error {
	account, err := pathID(r, "account")
	if err != nil {
		return err
	}
	if err := newQuery(r.URL).done(); err != nil {
		return err
	}
	if _, err := a.accountAuthority(r.Context(), r, account); err != nil {
		return err
	}
	acc, found, err := a.App.Account(r.Context(), account)
	if err != nil {
		return err
	}
	if !found {
		return accountNotFound(account)
	}
	writeJSON(w, nethttp.StatusOK, viewAccount(acc))
	return nil
}

func viewAccount(a app.AccountInfo) accountView {
	return accountView{AccountID: a.AccountID, Email: a.Email, Login: a.Login, FirstName: a.Profile.FirstName,
		LastName: a.Profile.LastName, Phone: a.Profile.Phone}
}

type accountPatch struct {
	withReason
	FirstName *string `json:"first_name"`
	LastName  *string `json:"last_name"`
	Phone     *string `json:"phone"`
	Email     *string `json:"email"`
}

// patchAccount changes an account's names and phone, and its email when given: the
// fields left out keep their value.
func (a *API) patchAccount(w nethttp.ResponseWriter, r *nethttp.Request) error {
	account, err := pathID(r, "account")
	if err != nil {
		return err
	}
	return runCommand(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, req *accountPatch) (app.Result, any, error) {
		via, err := a.accountAuthority(ctx, r, account)
		if err != nil {
			return app.Result{}, nil, err
		}
		// The fields left out keep their value as the account's stream has it, never a
		// read model's, which may lag behind a change just made.
		current, found, err := a.App.Account(ctx, account)
		if err != nil {
			return app.Result{}, nil, err
		}
		if !found {
			return app.Result{}, nil, accountNotFound(account)
		}
		p := current.Profile
		profile := domain.ChangeProfile{FirstName: p.FirstName, LastName: p.LastName, Phone: p.Phone}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&profile.FirstName, req.FirstName)
		set(&profile.LastName, req.LastName)
		set(&profile.Phone, req.Phone)
		res, err := a.App.ChangeProfile(ctx, meta, account, via, profile)
		if err != nil || req.Email == nil {
			return res, nil, err
		}
		emailRes, err := a.App.ChangeEmail(ctx, meta, account, via, domain.ChangeEmail{Email: *req.Email})
		if emailRes.Position.Before(res.Position) {
			emailRes.Position = res.Position
		}
		return emailRes, nil, err
	})
}
