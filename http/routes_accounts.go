package http

import (
	"context"
	nethttp "net/http"
	"slices"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/projections/members"
)

func (a *API) accountRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/accounts/{account}", handle: a.getAccount,
			doc: opDoc{summary: "An account's profile", resp: accountView{}}},
		{method: "PATCH", path: "/v1/accounts/{account}", handle: a.patchAccount,
			doc: opDoc{summary: "Change an account's profile or email", req: accountPatch{}}},
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
func (a *API) accountAuthority(ctx context.Context, w nethttp.ResponseWriter, r *nethttp.Request, account uuid.UUID) ([]uuid.UUID, error) {
	// An empty member list, while it is built at start, would deny the caller; one that
	// has not applied the membership the caller just made (an approval) too, so r's
	// consistency token is waited for.
	if err := a.waitConsistent(w, r, membersModel); err != nil {
		return nil, err
	}
	via, err := members.AccountWorkspaces(ctx, a.Reads, account)
	if err != nil {
		return nil, err
	}
	if by := callerAccount(r); by != account {
		own, err := members.AccountWorkspaces(ctx, a.Reads, by)
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
	if _, err := a.accountAuthority(r.Context(), w, r, account); err != nil {
		return err
	}
	acc, found, err := a.App.Account(r.Context(), account)
	if err != nil {
		return err
	}
	if !found {
		return accountNotFound(account)
	}
	// The account's stream version, which PATCH checks If-Match against: read from the
	// stream itself, with the profile it versions.
	w.Header().Set("ETag", etag(domain.AccountStream(account), acc.Version))
	writeJSON(w, nethttp.StatusOK, viewAccount(acc))
	return nil
}

func viewAccount(a app.AccountInfo) accountView {
	return accountView{AccountID: a.AccountID, Email: a.Email, Login: a.Login, FirstName: a.Profile.FirstName,
		LastName: a.Profile.LastName, Phone: a.Profile.Phone}
}

type accountPatch struct {
	withReason
	FirstName *string `json:"first_name" rule:"name"`
	LastName  *string `json:"last_name" rule:"name"`
	Phone     *string `json:"phone" rule:"phone"` // "" removes the phone
	Email     *string `json:"email" rule:"email"`
}

// patchAccount changes an account's names, phone and email at once, or nothing: the
// fields left out keep their value as the account's stream has it (never a read
// model's, which may lag behind a change just made).
func (a *API) patchAccount(w nethttp.ResponseWriter, r *nethttp.Request) error {
	account, err := pathID(r, "account")
	if err != nil {
		return err
	}
	return runCommand(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, req *accountPatch) (app.Result, any, error) {
		via, err := a.accountAuthority(ctx, w, r, account)
		if err != nil {
			return app.Result{}, nil, err
		}
		res, err := a.App.ChangeAccount(ctx, meta, account, via, app.AccountPatch{FirstName: req.FirstName,
			LastName: req.LastName, Phone: req.Phone, Email: req.Email})
		return res, nil, err
	})
}
