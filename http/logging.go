package http

import (
	"log/slog"
	nethttp "net/http"
	"time"
)

// logRequests logs every request that next serves: method, path, status and duration.
// Successful probes and scrapes log at debug level: orchestrators and Prometheus send
// one every few seconds.
func (s *Server) logRequests(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: nethttp.StatusOK}
		next.ServeHTTP(rec, r)
		level := slog.LevelInfo
		switch {
		case rec.status >= 500:
			level = slog.LevelWarn
		case isPolled(r.URL.Path):
			level = slog.LevelDebug
		}
		s.log.LogAttrs(r.Context(), level, "http request",
			slog.String("request_id", requestID(r)),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Duration("duration", time.Since(start)))
	})
}

// isPolled reports whether path is one that machines poll: the probes and /metrics.
func isPolled(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/metrics"
}

// statusRecorder remembers the status a handler answers.
type statusRecorder struct {
	nethttp.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

// Unwrap gives net/http's ResponseController the writer underneath (for Flush and
// deadlines).
func (r *statusRecorder) Unwrap() nethttp.ResponseWriter { return r.ResponseWriter }
