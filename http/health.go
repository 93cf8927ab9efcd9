package http

import (
	"context"
	nethttp "net/http"
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
// passes, else 503 with a problem document. The check's error is logged, not sent: it may
// name hosts and users.
func (s *Server) handleReadyz(w nethttp.ResponseWriter, r *nethttp.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.log.Warn("readiness check failed", "err", err)
		writeProblem(w, nethttp.StatusServiceUnavailable, "not_ready", "A dependency of the service is not available.")
		return
	}
	writeJSON(w, nethttp.StatusOK, map[string]string{"status": "ready"})
}
