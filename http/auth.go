package http

import (
	"context"
	"errors"
	nethttp "net/http"
	"strings"

	"github.com/google/uuid"

	"accessledger/apitoken"
	"accessledger/domain"
)

// Tokens authenticates callers and issues tokens: *apitoken.Store.
type Tokens interface {
	// Authenticate answers who a bearer token speaks for, or apitoken.ErrInvalid.
	Authenticate(ctx context.Context, secret string) (apitoken.Principal, error)
	// Issue stores a token and answers it with its secret.
	Issue(ctx context.Context, spec apitoken.Spec) (apitoken.Token, string, error)
}

type callerKey struct{}

// authenticate admits requests that carry a valid bearer token and puts the caller in
// their context; others get 401 with a WWW-Authenticate challenge (RFC 6750). A check
// that could not run (apitoken.ErrUnavailable: the database cannot answer) is no verdict
// on the token: it answers 503 `unavailable` with Retry-After, without a challenge.
func (a *API) authenticate(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		secret, ok := bearerToken(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="accessledger"`)
			writeProblem(w, nethttp.StatusUnauthorized, codeUnauthorized, "send an API token: Authorization: Bearer <token>")
			return
		}
		p, err := a.Tokens.Authenticate(r.Context(), secret)
		if err != nil {
			if errors.Is(err, apitoken.ErrInvalid) { // not when the check itself failed
				w.Header().Set("WWW-Authenticate", `Bearer realm="accessledger", error="invalid_token"`)
			}
			a.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, p)))
	})
}

// bearerToken answers the token of an "Authorization: Bearer" header.
func bearerToken(r *nethttp.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// caller answers who authenticate admitted r for.
func caller(r *nethttp.Request) apitoken.Principal {
	p, _ := r.Context().Value(callerKey{}).(apitoken.Principal)
	return p
}

// actor answers the caller of r as the domain sees it.
func actor(r *nethttp.Request) domain.Actor {
	p := caller(r)
	return domain.Actor{AccountID: p.AccountID, PlatformAdmin: p.PlatformAdmin}
}

// callerAccount answers the caller's account id.
func callerAccount(r *nethttp.Request) uuid.UUID { return caller(r).AccountID }
