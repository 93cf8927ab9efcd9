package kurrentdb

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
)

// TestClientLinesAreDebugLines: the client's lines, errors included, are kept at debug
// level with the client's level beside them, and cost nothing above it.
func TestClientLinesAreDebugLines(t *testing.T) {
	var debug, info bytes.Buffer
	atDebug := clientLogging(slog.New(slog.NewTextHandler(&debug, &slog.HandlerOptions{Level: slog.LevelDebug})))
	atInfo := clientLogging(slog.New(slog.NewTextHandler(&info, nil)))
	for _, level := range []kurrentdb.LogLevel{kurrentdb.LogDebug, kurrentdb.LogInfo, kurrentdb.LogWarn, kurrentdb.LogError} {
		atDebug(level, "discovery attempt %d/%d", 1, 10)
		atInfo(level, "discovery attempt %d/%d", 1, 10)
	}
	if got := strings.Count(debug.String(), "level=DEBUG"); got != 4 || !strings.Contains(debug.String(), "client_level=error") ||
		!strings.Contains(debug.String(), "discovery attempt 1/10") {
		t.Errorf("at debug level the client logged:\n%s", debug.String())
	}
	if info.Len() != 0 {
		t.Errorf("at info level the client logged:\n%s", info.String())
	}
}
