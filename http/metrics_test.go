package http_test

import (
	"bytes"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"accessledger/http"
)

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	lag := prometheus.NewGauge(prometheus.GaugeOpts{Name: "accessledger_test_lag_events", Help: "A test gauge."})
	lag.Set(42)
	reg.MustRegister(lag)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s := http.NewServer(http.Config{Metrics: reg, Logger: logger})

	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(nethttp.MethodGet, "/metrics", nil))
	if rec.Code != nethttp.StatusOK {
		t.Fatalf("status %d, want 200; body %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, "text/plain") {
		t.Errorf("Content-Type %q, want the text exposition format", got)
	}
	if want := "accessledger_test_lag_events 42\n"; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("body lacks %q:\n%s", want, rec.Body)
	}
	// Prometheus scrapes every few seconds: a scrape that went well is not worth a line.
	if logs.Len() > 0 {
		t.Errorf("a scrape was logged at info level:\n%s", logs.String())
	}
}

func TestNoMetricsWithoutGatherer(t *testing.T) {
	rec := httptest.NewRecorder()
	http.NewServer(http.Config{}).Handler().ServeHTTP(rec, httptest.NewRequest(nethttp.MethodGet, "/metrics", nil))
	if rec.Code != nethttp.StatusNotFound {
		t.Errorf("GET /metrics without a gatherer: status %d, want 404", rec.Code)
	}
}
