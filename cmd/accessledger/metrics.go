package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
	"accessledger/projections"
	"accessledger/scheduler"
)

// stallTimeout bounds the query behind the stall metrics at each scrape.
const stallTimeout = 2 * time.Second

// newRegistry answers the Prometheus registry of serve: the Go runtime and the process,
// the projections, and the Postgres event store's reader stall.
func newRegistry(rt *projections.Runtime, store eventstore.Store, pool *pgxpool.Pool, log *slog.Logger) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		projections.NewCollector(rt.Status, log),
		schedulerCollector{pool: pool, log: log},
	)
	// Only the Postgres store has readers held back by open transactions.
	if pg, ok := store.(*postgres.Store); ok {
		reg.MustRegister(stallCollector{store: pg, log: log})
	}
	return reg
}

var (
	stallAgeDesc = prometheus.NewDesc("accessledger_eventstore_oldest_transaction_seconds",
		"Age of the oldest transaction of the PostgreSQL server that holds a transaction id: readers of the "+
			"global log (the projections) see no event appended after it began until it ends. 0 when there is none.",
		nil, nil)
	stallPIDDesc = prometheus.NewDesc("accessledger_eventstore_oldest_transaction_pid",
		"Backend pid of that transaction (pg_stat_activity.pid), to find and end it; 0 when there is none.",
		nil, nil)
)

// stallCollector exports the event store's reader stall at each scrape.
type stallCollector struct {
	store *postgres.Store
	log   *slog.Logger
}

// Describe implements prometheus.Collector.
func (c stallCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- stallAgeDesc
	ch <- stallPIDDesc
}

// Collect implements prometheus.Collector. A failed query leaves the metrics out of the
// scrape rather than failing it.
func (c stallCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), stallTimeout)
	defer cancel()
	st, _, err := c.store.OldestTransaction(ctx)
	if err != nil {
		c.log.Warn("metrics: read the oldest transaction", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(stallAgeDesc, prometheus.GaugeValue, st.Age.Seconds())
	ch <- prometheus.MustNewConstMetric(stallPIDDesc, prometheus.GaugeValue, float64(st.PID))
}

var (
	schedulerLastRunDesc = prometheus.NewDesc("accessledger_scheduler_last_run_timestamp_seconds",
		"When the scheduler last ran (Unix time; 0 before its first run), in whichever instance holds its lease.", nil, nil)
	schedulerRecordedDesc = prometheus.NewDesc("accessledger_scheduler_last_run_recorded",
		"How many due items (visa and invitation expiries, purges) the scheduler's last run recorded.", nil, nil)
	schedulerBacklogDesc = prometheus.NewDesc("accessledger_scheduler_backlog",
		"How many items are due and not recorded yet, as far as the due read model has seen.", nil, nil)
)

// schedulerCollector exports the scheduler's last run and backlog at each scrape: they
// live in the database, so every instance reports the one scheduler of the deployment.
type schedulerCollector struct {
	pool *pgxpool.Pool
	log  *slog.Logger
}

// Describe implements prometheus.Collector.
func (c schedulerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- schedulerLastRunDesc
	ch <- schedulerRecordedDesc
	ch <- schedulerBacklogDesc
}

// Collect implements prometheus.Collector. A failed read leaves the metrics out of the
// scrape rather than failing it.
func (c schedulerCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), stallTimeout)
	defer cancel()
	st, err := scheduler.ReadStatus(ctx, c.pool, time.Now())
	if err != nil {
		c.log.Warn("metrics: read the scheduler's status", "err", err)
		return
	}
	lastRun := 0.0
	if st.LastRunAt != nil {
		lastRun = float64(st.LastRunAt.UnixNano()) / 1e9
	}
	ch <- prometheus.MustNewConstMetric(schedulerLastRunDesc, prometheus.GaugeValue, lastRun)
	ch <- prometheus.MustNewConstMetric(schedulerRecordedDesc, prometheus.GaugeValue, float64(st.LastRecorded))
	ch <- prometheus.MustNewConstMetric(schedulerBacklogDesc, prometheus.GaugeValue, float64(st.Backlog))
}
