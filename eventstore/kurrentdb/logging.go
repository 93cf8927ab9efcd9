package kurrentdb

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
)

// clientLogging answers the client's logging function, which writes to log at debug
// level whatever the client's level: every failure the client logs also comes back to
// the store as an error, which reaches the caller (or the store's own warning, for its
// subscription); at warning level the client would repeat each one, ten times per
// failed discovery, and again for calls that their callers cancelled.
func clientLogging(log *slog.Logger) kurrentdb.LoggingFunc {
	if log == nil {
		return kurrentdb.NoopLogging()
	}
	return func(level kurrentdb.LogLevel, format string, args ...any) {
		if log.Enabled(context.Background(), slog.LevelDebug) {
			log.Debug("kurrentdb client: "+fmt.Sprintf(format, args...), "client_level", level)
		}
	}
}
