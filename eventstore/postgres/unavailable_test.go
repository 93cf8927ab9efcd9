package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"accessledger/eventstore"
)

// TestAServerOutOfReachIsUnavailable: failing to connect is ErrUnavailable; a query the
// server refused is not.
func TestAServerOutOfReachIsUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := pgconn.Connect(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if err == nil {
		t.Fatal("connected to port 1")
	}
	if !errors.Is(unavailable(err), eventstore.ErrUnavailable) {
		t.Errorf("a failed connect: %v, want ErrUnavailable", unavailable(err))
	}
	refused := &pgconn.PgError{Code: "42P01", Message: "relation does not exist"}
	if errors.Is(unavailable(refused), eventstore.ErrUnavailable) {
		t.Error("a refused query counts as an outage")
	}
}
