package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"accessledger/eventstore"
	"accessledger/http"
	"accessledger/projections"
)

// TestReadinessWithFailedProjections checks that /readyz turns 503 while a read model
// has failed, naming it, while the read models' state cannot be read, while a store
// cannot answer and while the read models are being set up, without leaking why; and
// that it asks to retry only when waiting helps.
func TestReadinessWithFailedProjections(t *testing.T) {
	down := errors.New("dial tcp 10.0.0.7:5432: connect: connection refused")
	outage := fmt.Errorf("ping 10.0.0.7: %w: %w", projections.ErrUnavailable, down)
	settingUp := fmt.Errorf("%w: members not installed or built yet", projections.ErrNotReady)
	tests := []struct {
		name       string
		ready      func(context.Context) error
		failed     func(context.Context) ([]string, error)
		wantStatus int
		wantCode   string
		wantRetry  bool
		wantDetail []string // parts of the problem's detail
	}{
		{"none failed", nil, failedNames(), 200, "", false, nil},
		{"one failed", nil, failedNames("members"), 503, "not_ready", false, []string{"The projection members has stopped", "projections status"}},
		{"two failed", nil, failedNames("members", "history"), 503, "not_ready", false, []string{"The projections members, history have stopped"}},
		{"state unreadable", nil, func(context.Context) ([]string, error) { return nil, down }, 503, "not_ready", false,
			[]string{"The state of the read models could not be read."}},
		{"state unreadable in an outage", nil, func(context.Context) ([]string, error) { return nil, outage }, 503, "unavailable", true,
			[]string{"cannot be reached just now"}},
		{"database down first", fail(down), failedNames("members"), 503, "not_ready", false, []string{"A dependency of the service is not available."}},
		{"database unavailable", fail(outage), failedNames(), 503, "unavailable", true, []string{"cannot be reached just now"}},
		{"event store unavailable", fail(fmt.Errorf("head: %w", eventstore.ErrUnavailable)), failedNames(), 503, "unavailable", true, nil},
		{"read models being set up", fail(settingUp), failedNames(), 503, "not_ready", true, []string{"being installed or built"}},
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
			if retry := rec.Header().Get("Retry-After"); (retry == "1") != tt.wantRetry {
				t.Errorf("Retry-After %q, want it sent: %t", retry, tt.wantRetry)
			}
			var p struct{ Code, Detail string }
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if p.Code != tt.wantCode {
				t.Errorf("code %q, want %s", p.Code, tt.wantCode)
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
