package http

import (
	nethttp "net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the Prometheus metrics of the requests a Server serves: counts and
// latencies by route and status, and the outcome of every command. Register it with
// the registry that /metrics serves, and pass it in Config.RequestMetrics.
type Metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	commands *prometheus.CounterVec
}

// NewMetrics answers unregistered request metrics.
func NewMetrics() *Metrics {
	return &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "accessledger_http_requests_total",
			Help: "HTTP requests answered, by method, route template and status."}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "accessledger_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method and route template.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"method", "route"}),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "accessledger_commands_total",
			Help: "Commands sent through the API, by route template and outcome: ok, or the problem code of the refusal."},
			[]string{"method", "route", "outcome"}),
	}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	m.requests.Describe(ch)
	m.latency.Describe(ch)
	m.commands.Describe(ch)
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.requests.Collect(ch)
	m.latency.Collect(ch)
	m.commands.Collect(ch)
}

// measure is router middleware: it counts and times every request matched to a route,
// labelled with the route's template so that ids do not explode the label values.
func (m *Metrics) measure(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: nethttp.StatusOK}
		next.ServeHTTP(rec, r)
		route := routeTemplate(r)
		m.requests.WithLabelValues(r.Method, route, strconv.Itoa(rec.status)).Inc()
		m.latency.WithLabelValues(r.Method, route).Observe(time.Since(start).Seconds())
	})
}

// command records the outcome of a command: "ok" or the code of its problem.
func (m *Metrics) command(r *nethttp.Request, outcome string) {
	if m == nil || r.Method == nethttp.MethodGet {
		return
	}
	m.commands.WithLabelValues(r.Method, routeTemplate(r), outcome).Inc()
}

func routeTemplate(r *nethttp.Request) string {
	if route := mux.CurrentRoute(r); route != nil {
		if t, err := route.GetPathTemplate(); err == nil {
			return t
		}
	}
	return "unmatched"
}
