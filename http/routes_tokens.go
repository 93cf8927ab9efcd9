package http

import (
	"context"
	nethttp "net/http"

	"github.com/google/uuid"

	"accessledger/apitoken"
	"accessledger/app"
	"accessledger/domain"
)

// TokenAdmin lists and revokes tokens: *apitoken.Store.
type TokenAdmin interface {
	List(ctx context.Context, account uuid.UUID) ([]apitoken.Token, error)
	Revoke(ctx context.Context, account, id uuid.UUID) (apitoken.Token, bool, error)
}

func (a *API) tokenRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/accounts/{account}/tokens", handle: a.listTokens,
			doc: opDoc{summary: "The account's API tokens, revoked ones included, never their secrets", resp: page[apitoken.Token]{}}},
		{method: "DELETE", path: "/v1/accounts/{account}/tokens/{id}", handle: a.revokeToken,
			doc: opDoc{summary: "Revoke one of the account's API tokens", resp: tokenRevoked{}, noBody: true}},
	}
}

// ownTokens admits the account itself and platform admins to an account's tokens; to
// anyone else the account is not found.
func ownTokens(r *nethttp.Request) (uuid.UUID, error) {
	account, err := pathID(r, "account")
	if err != nil {
		return uuid.Nil, err
	}
	if p := caller(r); p.AccountID != account && !p.PlatformAdmin {
		return uuid.Nil, accountNotFound(account)
	}
	return account, nil
}

// listTokens answers the account's tokens, revoked ones included, never their secrets.
func (a *API) listTokens(w nethttp.ResponseWriter, r *nethttp.Request) error {
	account, err := ownTokens(r)
	if err != nil {
		return err
	}
	if err := newQuery(r.URL).done(); err != nil {
		return err
	}
	tokens, err := a.TokenAdmin.List(r.Context(), account)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, page[apitoken.Token]{Items: nonNil(tokens)})
	return nil
}

// revokeToken ends one of the account's tokens for good; revoking the token of the
// request itself is allowed, and the next request is refused.
func (a *API) revokeToken(w nethttp.ResponseWriter, r *nethttp.Request) error {
	account, err := ownTokens(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := refuseBody(r); err != nil {
		return err
	}
	meta, err := commandMeta(r, "")
	if err != nil {
		return err
	}
	tok, revoked, err := a.TokenAdmin.Revoke(r.Context(), account, id)
	if err != nil {
		return err
	}
	if !revoked {
		return domain.NotFound("no live token %s of this account", id)
	}
	if tok.WorkspaceID != nil {
		// The token was issued in a workspace: its activity log records the end too. The
		// answer carries no version, so If-Match names none here: were it checked
		// against the member's stream, a revoked token would go unrecorded.
		meta.IfVersion = nil
		res, err := a.App.RecordToken(r.Context(), meta, *tok.WorkspaceID, account, id, tok.Name, false)
		if err != nil {
			return err
		}
		if t := token(res.Position); t != "" {
			w.Header().Set(consistencyHeader, t)
		}
	}
	writeJSON(w, nethttp.StatusOK, tokenRevoked{TokenID: id, Revoked: true})
	return nil
}

// tokenRevoked is the answer to revoking a token.
type tokenRevoked struct {
	TokenID uuid.UUID `json:"token_id"`
	Revoked bool      `json:"revoked"`
}

// issueToken issues account an API token in workspace ws, derived from meta's command so
// that a retry answers the same token, and records the issue in the member's stream.
func (a *API) issueToken(ctx context.Context, meta app.Meta, ws, account uuid.UUID, name string) (string, error) {
	tokenID := app.DerivedID(meta.CommandID, name+"-token")
	_, secret, err := a.Tokens.Issue(ctx, apitoken.Spec{ID: tokenID, AccountID: account, Name: name, WorkspaceID: ws,
		Secret: apitoken.DerivedSecret(a.TokenKey, tokenID)})
	if err != nil {
		return "", err
	}
	if meta.Actor.IsSystem() { // accepting an invitation: the invitee acts, with the invitation token
		meta.Actor = domain.Actor{AccountID: account}
	}
	// A side step of the command that issues the token: If-Match was about the
	// command's own stream, whose step has appended already.
	meta.IfVersion = nil
	if _, err := a.App.RecordToken(ctx, meta, ws, account, tokenID, name, true); err != nil {
		return "", err
	}
	return secret, nil
}
