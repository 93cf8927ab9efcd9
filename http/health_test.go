package http_test

import (
	"context"
	"encoding/json"
	"errors"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"accessledger/http"
)

// TestReadinessWithFailedProjections checks that /readyz turns 503 while a read model
// has failed, naming it, and while the read models' state cannot be read, without
// leaking why.
func TestReadinessWithFailedProjections(t *testing.T) {
	down := errors.New("dial tcp 10.0.0.7:5432: connect: connection refused")
	tests := []struct {
		name       string
		ready      func(context.Context) error
		failed     func(context.Context) ([]string, error)
		wantStatus int
		wantDetail []string // parts of the problem's detail
	}{
		{"none failed", nil, failedNames(), 200, nil},
		{"one failed", nil, failedNames("members"), 503, []string{"The projection members has stopped", "projections status"}},
		{"two failed", nil, failedNames("members", "history"), 503, []string{"The projections members, history have stopped"}},
		{"state unreadable", nil, func(context.Context) ([]string, error) { return nil, down }, 503,
			[]string{"The state of the read models could not be read."}},
		{"database down first", fail(down), failedNames("members"), 503, []string{"A dependency of the service is not available."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := http.NewServer(http.Config{Ready: tt.ready, FailedProjections: tt.failed})
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest(nethttp.MethodGet, "/readyz", nil))

			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantStatus == 200 {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", got)
			}
			var p struct{ Code, Detail string }
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if p.Code != "not_ready" {
				t.Errorf("code %q, want not_ready", p.Code)
			}
			for _, want := range tt.wantDetail {
				if !strings.Contains(p.Detail, want) {
					t.Errorf("detail %q lacks %q", p.Detail, want)
				}
			}
			if strings.Contains(rec.Body.String(), "10.0.0.7") {
				t.Errorf("answer leaks the internal error: %s", rec.Body)
			}
		})
	}
}

func failedNames(names ...string) func(context.Context) ([]string, error) {
	return func(context.Context) ([]string, error) { return names, nil }
}
