package http

import (
	"context"
	nethttp "net/http"
	"strings"
	"time"
)

// readyTimeout bounds a readiness check: a probe that hangs is a failed probe.
const readyTimeout = 2 * time.Second

// handleHealthz answers that the process is up and serving. It checks nothing else, so
// that an orchestrator does not restart a healthy process whose database is down.
func (s *Server) handleHealthz(w nethttp.ResponseWriter, r *nethttp.Request) {
	writeJSON(w, nethttp.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz answers whether the service can do its work: 200 when the Ready check
// passes and no read model has failed, else 503 with a problem document. A check's error
// is logged, not sent: it may name hosts and users. The names of failed read models are
// sent: they are fixed names, and tell the operator where to look.
func (s *Server) handleReadyz(w nethttp.ResponseWriter, r *nethttp.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.log.Warn("readiness check failed", "err", err)
		writeProblem(w, nethttp.StatusServiceUnavailable, "not_ready", "A dependency of the service is not available.")
		return
	}
	failed, err := s.failed(ctx)
	if err != nil {
		s.log.Warn("readiness check of the projections failed", "err", err)
		writeProblem(w, nethttp.StatusServiceUnavailable, "not_ready", "The state of the read models could not be read.")
		return
	}
	if len(failed) > 0 {
		writeProblem(w, nethttp.StatusServiceUnavailable, "not_ready", failedDetail(failed))
		return
	}
	writeJSON(w, nethttp.StatusOK, map[string]string{"status": "ready"})
}

// failedDetail says which read models failed, and what an operator can do about it.
func failedDetail(names []string) string {
	what := "The projection " + names[0] + " has"
	if len(names) > 1 {
		what = "The projections " + strings.Join(names, ", ") + " have"
	}
	return what + " stopped on an error; see `accessledger projections status`, then rebuild."
}
