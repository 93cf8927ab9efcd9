package kurrentdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestClientLinesAreWarningsUnlessTheCallerEndedTheCall: the client logs as errors the
// calls that their callers cancelled or let expire; those are not worth a warning.
func TestClientLinesAreWarningsUnlessTheCallerEndedTheCall(t *testing.T) {
	tests := []struct {
		level kurrentdb.LogLevel
		arg   any
		warn  bool
	}{
		{kurrentdb.LogError, status.Error(codes.Unavailable, "node down"), true},
		{kurrentdb.LogWarn, "a setting", true},
		{kurrentdb.LogError, status.Error(codes.Canceled, "context canceled"), false},
		{kurrentdb.LogError, status.Error(codes.DeadlineExceeded, "deadline"), false},
		{kurrentdb.LogError, fmt.Errorf("read: %w", context.Canceled), false},
		{kurrentdb.LogError, errors.Join(errors.New("x"), context.DeadlineExceeded), false},
		{kurrentdb.LogInfo, "discovery attempt", false},
		{kurrentdb.LogDebug, "trying candidate", false},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		logf := clientLogging(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})))
		logf(tt.level, "something: %v", tt.arg)
		if warned := strings.Contains(out.String(), "level=WARN"); warned != tt.warn {
			t.Errorf("%s %v: logged %q, want a warning: %t", tt.level, tt.arg, out.String(), tt.warn)
		}
	}
}
