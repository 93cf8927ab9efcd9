package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"accessledger/eventstore"
)

// TestAServerOutOfReachIsUnavailable: failing to connect, a server starting up or
// shutting down and a connection lost mid-append are ErrUnavailable; a query the server
// refused is not.
func TestAServerOutOfReachIsUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, connectErr := pgconn.Connect(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if connectErr == nil {
		t.Fatal("connected to port 1")
	}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"a failed connect", connectErr, true},
		{"starting up", &pgconn.PgError{Severity: "FATAL", Code: "57P03", Message: "the database system is not yet accepting connections"}, true},
		{"shutting down", &pgconn.PgError{Severity: "FATAL", Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{"cut mid-append", fmt.Errorf("insert events: %w", io.ErrUnexpectedEOF), true},
		{"a refused query", &pgconn.PgError{Code: "42P01", Message: "relation does not exist"}, false},
	}
	for _, tt := range tests {
		if got := errors.Is(unavailable(tt.err), eventstore.ErrUnavailable); got != tt.want {
			t.Errorf("%s: %v is ErrUnavailable: %t, want %t", tt.name, unavailable(tt.err), got, tt.want)
		}
	}
}
