package http

import (
	"errors"
	"fmt"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"accessledger/eventstore"
)

// TestOutagesAnswer503: a store that cannot be reached, whether the event store says
// so or the network does, is 503 `unavailable` with Retry-After; any other unexpected
// error stays a 500 that tells nothing.
func TestOutagesAnswer503(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"event store", fmt.Errorf("append member-1: %w: node down", eventstore.ErrUnavailable), nethttp.StatusServiceUnavailable, codeUnavailable},
		{"database connect", fmt.Errorf("check token: failed to connect: %w", refused), nethttp.StatusServiceUnavailable, codeUnavailable},
		{"a bug", errors.New("nil map"), nethttp.StatusInternalServerError, codeInternal},
	}
	a := NewAPI(APIConfig{})
	for _, tt := range tests {
		w := httptest.NewRecorder()
		a.writeError(w, httptest.NewRequest(nethttp.MethodGet, "/v1/x", nil), tt.err)
		if w.Code != tt.status || !strings.Contains(w.Body.String(), `"code":"`+tt.code+`"`) {
			t.Errorf("%s: %d %s, want %d %s", tt.name, w.Code, w.Body.String(), tt.status, tt.code)
		}
		if retry := w.Header().Get("Retry-After"); (tt.status == nethttp.StatusServiceUnavailable) != (retry == "1") {
			t.Errorf("%s: Retry-After %q", tt.name, retry)
		}
	}
}
