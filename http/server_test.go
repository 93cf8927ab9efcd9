package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"accessledger/http"
)

func TestHealthAndReadiness(t *testing.T) {
	down := errors.New("dial tcp 10.0.0.7:5432: connect: connection refused (user=secret)")
	tests := []struct {
		name        string
		path        string
		ready       func(context.Context) error
		wantStatus  int
		wantType    string
		wantBody    map[string]any
		notInAnswer string
	}{
		{"healthz", "/healthz", nil, 200, "application/json", map[string]any{"status": "ok"}, ""},
		{"healthz while not ready", "/healthz", fail(down), 200, "application/json", map[string]any{"status": "ok"}, ""},
		{"readyz without check", "/readyz", nil, 200, "application/json", map[string]any{"status": "ready"}, ""},
		{"readyz check passes", "/readyz", func(context.Context) error { return nil }, 200, "application/json",
			map[string]any{"status": "ready"}, ""},
		{"readyz check fails", "/readyz", fail(down), 503, "application/problem+json", map[string]any{
			"type": "about:blank", "title": "Service Unavailable", "status": 503.0, "code": "not_ready",
			"detail": "A dependency of the service is not available.",
		}, "10.0.0.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := http.NewServer(http.Config{Ready: tt.ready})
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest(nethttp.MethodGet, tt.path, nil))

			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type %q, want %q", got, tt.wantType)
			}
			body := rec.Body.String()
			if tt.notInAnswer != "" && strings.Contains(body, tt.notInAnswer) {
				t.Errorf("answer leaks the internal error: %s", body)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body %q: %v", body, err)
			}
			// Every problem names the request's id, the one its answer header carries.
			if id, ok := got["request_id"]; ok {
				if id != rec.Header().Get("X-Request-ID") {
					t.Errorf("request_id %v, header %q", id, rec.Header().Get("X-Request-ID"))
				}
				delete(got, "request_id")
			}
			if !reflect.DeepEqual(got, tt.wantBody) {
				t.Errorf("body %v, want %v", got, tt.wantBody)
			}
		})
	}
}

func fail(err error) func(context.Context) error {
	return func(context.Context) error { return err }
}

func TestRequestsAreLogged(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := http.NewServer(http.Config{Logger: logger})
	s.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(nethttp.MethodGet, "/healthz", nil))
	s.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(nethttp.MethodGet, "/nowhere", nil))

	for _, want := range []string{"method=GET path=/healthz status=200 duration=", "path=/nowhere status=404"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

// TestShutdownFinishesInFlightRequests listens on a free port, holds a request in the
// readiness check while Shutdown runs, and checks that the request still gets its answer.
func TestShutdownFinishesInFlightRequests(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	s := http.NewServer(http.Config{Addr: "127.0.0.1:0", Ready: func(context.Context) error {
		close(entered)
		<-release
		return nil
	}})
	addr, err := s.Listen()
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()

	answered := make(chan int, 1)
	go func() { answered <- getStatus(t, "http://"+addr.String()+"/readyz") }()
	<-entered
	shutdown := make(chan error, 1)
	go func() { shutdown <- s.Shutdown(context.Background()) }()

	select {
	case err := <-shutdown:
		t.Fatalf("Shutdown returned (%v) while a request was in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if status := <-answered; status != nethttp.StatusOK {
		t.Errorf("in-flight request answered %d, want 200", status)
	}
	if err := <-shutdown; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// getStatus answers the status of GET url, or 0 when the request fails.
func getStatus(t *testing.T, url string) int {
	resp, err := nethttp.Get(url)
	if err != nil {
		t.Errorf("GET %s: %v", url, err)
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func TestServeBeforeListen(t *testing.T) {
	if err := http.NewServer(http.Config{}).Serve(); err == nil {
		t.Error("Serve without Listen succeeded")
	}
}
