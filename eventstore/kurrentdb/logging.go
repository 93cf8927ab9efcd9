package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// clientLogging answers the client's logging function that writes to log.
func clientLogging(log *slog.Logger) kurrentdb.LoggingFunc {
	if log == nil {
		return kurrentdb.NoopLogging()
	}
	return func(level kurrentdb.LogLevel, format string, args ...any) {
		l := slog.LevelDebug
		if (level == kurrentdb.LogWarn || level == kurrentdb.LogError) && !cancelled(args) {
			l = slog.LevelWarn
		}
		log.Log(context.Background(), l, "kurrentdb client: "+fmt.Sprintf(format, args...))
	}
}

// cancelled reports whether a log line's arguments hold the error of a call that its
// caller cancelled or let expire, such as a wait for events that ended: no cause for a
// warning, and the caller has the error.
func cancelled(args []any) bool {
	for _, a := range args {
		err, ok := a.(error)
		if !ok {
			continue
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return true
		}
		if code := status.Code(err); code == codes.Canceled || code == codes.DeadlineExceeded {
			return true
		}
	}
	return false
}
