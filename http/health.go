package http

import (
	"context"
	"errors"
	nethttp "net/http"
	"strings"
	"time"

	"accessledger/projections"
)

// readyTimeout bounds a readiness check: a probe that hangs is a failed probe.
const readyTimeout = 2 * time.Second

// handleHealthz answers that the process is up and serving. It checks nothing else, so
// that an orchestrator does not restart a healthy process whose database is down.
func (s *Server) handleHealthz(w nethttp.ResponseWriter, r *nethttp.Request) {
	writeJSON(w, nethttp.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz answers whether the service can do its work: 200 when the Ready check
// passes and no read model has failed, else 503 with a problem document: `unavailable`
// with Retry-After while a store cannot answer, `not_ready` with Retry-After while the
// read models are being installed or built, `not_ready` without it when a read model
// failed (waiting will not help: an operator must rebuild it) or the check failed
// otherwise. A check's error is logged, not sent: it may name hosts and users. The
// names of failed read models are sent: they are fixed names, and tell the operator
// where to look.
func (s *Server) handleReadyz(w nethttp.ResponseWriter, r *nethttp.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.log.Warn("readiness check failed", "err", err)
		writeProblemDoc(w, notReady(err, "A dependency of the service is not available."))
		return
	}
	failed, err := s.failed(ctx)
	if err != nil {
		s.log.Warn("readiness check of the projections failed", "err", err)
		writeProblemDoc(w, notReady(err, "The state of the read models could not be read."))
		return
	}
	if len(failed) > 0 {
		writeProblem(w, nethttp.StatusServiceUnavailable, codeNotReady, failedDetail(failed))
		return
	}
	writeJSON(w, nethttp.StatusOK, map[string]string{"status": "ready"})
}

// notReady answers the problem of a readiness check that failed with err; detail says
// what failed when err is neither an outage nor read models still being set up.
func notReady(err error, detail string) problem {
	switch {
	case unavailable(err):
		return problem{Status: nethttp.StatusServiceUnavailable, Code: codeUnavailable, retryAfter: true,
			Detail: "A store the service depends on cannot be reached just now."}
	case errors.Is(err, projections.ErrNotReady):
		return problem{Status: nethttp.StatusServiceUnavailable, Code: codeNotReady, retryAfter: true,
			Detail: "The read models are being installed or built as the service starts."}
	}
	return problem{Status: nethttp.StatusServiceUnavailable, Code: codeNotReady, Detail: detail}
}

// failedDetail says which read models failed, and what an operator can do about it.
func failedDetail(names []string) string {
	what := "The projection " + names[0] + " has"
	if len(names) > 1 {
		what = "The projections " + strings.Join(names, ", ") + " have"
	}
	return what + " stopped on an error; see `accessledger projections status`, then rebuild."
}
