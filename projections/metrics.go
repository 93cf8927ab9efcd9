package projections

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// scrapeTimeout bounds the status read of one scrape: Prometheus gives up on a target
// after its own timeout (10 s by default), and a slow database must not hold every
// scrape connection until then.
const scrapeTimeout = 2 * time.Second

// states are the states that accessledger_projection_state reports for every projection,
// 1 for the current one and 0 for the others, so that a query or an alert on a state
// finds a series whatever the projection's state is.
var states = []string{StateRunning, StateCatchingUp, StateRebuilding, StateFailed}

// Collector exports the status of projections as Prometheus metrics, read anew on each
// scrape. Create it with NewCollector and register it with a prometheus.Registerer.
type Collector struct {
	status func(context.Context) ([]Status, error)
	log    *slog.Logger

	up, lagEvents, lagSeconds, applied, state, version, codeVersion, rebuildEvents *prometheus.Desc
}

var _ prometheus.Collector = (*Collector)(nil)

// NewCollector answers a Collector that calls status on each scrape, with a deadline of
// two seconds; a Runtime's Status method, or ReadStatus bound to its arguments, fits.
// When status fails, the scrape reports accessledger_projection_status_up 0 and no
// projection series, and the error goes to log (nil discards it).
func NewCollector(status func(context.Context) ([]Status, error), log *slog.Logger) *Collector {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	projection := []string{"projection"}
	return &Collector{
		status: status,
		log:    log,
		up: prometheus.NewDesc("accessledger_projection_status_up",
			"Whether the status of the projections could be read for this scrape (1) or not (0).", nil, nil),
		lagEvents: prometheus.NewDesc("accessledger_projection_lag_events",
			"Events of the log that the projection has not applied yet (counted up to a cap).", projection, nil),
		lagSeconds: prometheus.NewDesc("accessledger_projection_lag_seconds",
			"Age in seconds of the oldest event that the projection has not applied yet; 0 when caught up.", projection, nil),
		applied: prometheus.NewDesc("accessledger_projection_events_applied_total",
			"Events applied to the projection's live tables; starts again from the rebuilt count after a rebuild.", projection, nil),
		state: prometheus.NewDesc("accessledger_projection_state",
			"1 for the projection's current state (running, catching_up, rebuilding or failed), 0 for the others.",
			[]string{"projection", "state"}, nil),
		version: prometheus.NewDesc("accessledger_projection_version",
			"Version of the projection code that built the live tables.", projection, nil),
		codeVersion: prometheus.NewDesc("accessledger_projection_code_version",
			"Version of the projection in this binary's code; differs from accessledger_projection_version until a rebuild.",
			projection, nil),
		rebuildEvents: prometheus.NewDesc("accessledger_projection_rebuild_events",
			"Events applied so far by the rebuild under way; present only while one is.", projection, nil),
	}
}

// Describe sends the descriptors of every metric that Collect may send.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.lagEvents, c.lagSeconds, c.applied, c.state, c.version, c.codeVersion, c.rebuildEvents} {
		ch <- d
	}
}

// Collect reads the projections' status and sends their metrics.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	// Collect gets no context from the registry: the deadline is ours.
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	statuses, err := c.status(ctx)
	if err != nil {
		c.log.Warn("read projection status for metrics", "err", err)
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for _, s := range statuses {
		c.collectOne(ch, s)
	}
}

func (c *Collector) collectOne(ch chan<- prometheus.Metric, s Status) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, append([]string{s.Name}, labels...)...)
	}
	gauge(c.lagEvents, float64(s.LagEvents))
	gauge(c.lagSeconds, s.LagSeconds)
	ch <- prometheus.MustNewConstMetric(c.applied, prometheus.CounterValue, float64(s.EventsApplied), s.Name)
	gauge(c.version, float64(s.Version))
	gauge(c.codeVersion, float64(s.CodeVersion))
	known := false
	for _, state := range states {
		gauge(c.state, boolValue(s.State == state), state)
		known = known || s.State == state
	}
	if !known && s.State != "" {
		// A state this code does not list (a newer instance wrote it) still shows.
		gauge(c.state, 1, s.State)
	}
	if s.Rebuild != nil {
		gauge(c.rebuildEvents, float64(s.Rebuild.Events))
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
