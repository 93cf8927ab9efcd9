package http

import (
	"context"
	"errors"
	"fmt"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"accessledger/apitoken"
	"accessledger/eventstore"
	"accessledger/projections"
)

// TestOutagesAnswer503: a store that cannot answer, as the event store, the read models
// or the token store says, is 503 `unavailable` with Retry-After; a read model not set
// up yet is 503 `not_ready` with Retry-After; a client that left is 499 whatever failed;
// input the event store refuses (which the edge should have refused) is 400, never a
// 500; an error no store classified is a 500 that tells nothing, even one that looks like a
// network failure: the HTTP layer maps kinds, it does not sniff errors.
func TestOutagesAnswer503(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	gone, leave := context.WithCancel(context.Background())
	leave()
	tests := []struct {
		name   string
		ctx    context.Context
		err    error
		status int
		code   string
	}{
		{"event store", nil, fmt.Errorf("append member-1: %w: node down", eventstore.ErrUnavailable), nethttp.StatusServiceUnavailable, codeUnavailable},
		{"read models", nil, fmt.Errorf("list members: %w: %w", projections.ErrUnavailable, refused), nethttp.StatusServiceUnavailable, codeUnavailable},
		{"token store", nil, fmt.Errorf("authenticate: %w: starting up", apitoken.ErrUnavailable), nethttp.StatusServiceUnavailable, codeUnavailable},
		{"read model not installed", nil, fmt.Errorf("list members: %w: relation does not exist", projections.ErrNotReady), nethttp.StatusServiceUnavailable, codeNotReady},
		{"client left", gone, fmt.Errorf("list members: %w: %w", projections.ErrUnavailable, context.Canceled), 499, "client_closed_request"},
		{"unclassified network error", nil, fmt.Errorf("check token: failed to connect: %w", refused), nethttp.StatusInternalServerError, codeInternal},
		{"input the store refuses", nil, fmt.Errorf("append member-1: %w", &eventstore.ValidationError{Field: "metadata.reason", Problem: "too long"}), nethttp.StatusBadRequest, "validation_failed"},
		{"a bug", nil, errors.New("nil map"), nethttp.StatusInternalServerError, codeInternal},
	}
	a := NewAPI(APIConfig{})
	for _, tt := range tests {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(nethttp.MethodGet, "/v1/x", nil)
		if tt.ctx != nil {
			r = r.WithContext(tt.ctx)
		}
		a.writeError(w, r, tt.err)
		if w.Code != tt.status || !strings.Contains(w.Body.String(), `"code":"`+tt.code+`"`) {
			t.Errorf("%s: %d %s, want %d %s", tt.name, w.Code, w.Body.String(), tt.status, tt.code)
		}
		if retry := w.Header().Get("Retry-After"); (tt.status == nethttp.StatusServiceUnavailable) != (retry == "1") {
			t.Errorf("%s: Retry-After %q", tt.name, retry)
		}
	}
}

// failingTokens answers every token check with err.
type failingTokens struct{ err error }

func (f failingTokens) Authenticate(context.Context, string) (apitoken.Principal, error) {
	return apitoken.Principal{}, f.err
}

func (f failingTokens) Issue(context.Context, apitoken.Spec) (apitoken.Token, string, error) {
	return apitoken.Token{}, "", f.err
}

// TestATokenCheckThatCannotRunChallengesNobody: an invalid token is 401 with the
// RFC 6750 challenge; a check that could not reach its store is 503 without one, since
// the token may well be valid.
func TestATokenCheckThatCannotRunChallengesNobody(t *testing.T) {
	refused := fmt.Errorf("look up token: %w: %w", apitoken.ErrUnavailable, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})
	for _, tt := range []struct {
		err       error
		status    int
		challenge bool
	}{
		{apitoken.ErrInvalid, nethttp.StatusUnauthorized, true},
		{refused, nethttp.StatusServiceUnavailable, false},
	} {
		a := NewAPI(APIConfig{Tokens: failingTokens{tt.err}})
		w := httptest.NewRecorder()
		r := httptest.NewRequest(nethttp.MethodGet, "/v1/workspaces", nil)
		r.Header.Set("Authorization", "Bearer alt_x")
		a.authenticate(nethttp.NotFoundHandler()).ServeHTTP(w, r)
		if w.Code != tt.status || (w.Header().Get("WWW-Authenticate") != "") != tt.challenge {
			t.Errorf("%v: %d, WWW-Authenticate %q; want %d, challenge %t", tt.err, w.Code, w.Header().Get("WWW-Authenticate"), tt.status, tt.challenge)
		}
	}
}
