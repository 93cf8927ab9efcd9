package postgres

import (
	"errors"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5/pgconn"

	"accessledger/eventstore"
)

// unavailable marks err with eventstore.ErrUnavailable when it is a failure to reach
// the server (no connection to be made, a connection broken), and answers it as it is
// otherwise: a query the server refused is no outage.
func unavailable(err error) error {
	var connect *pgconn.ConnectError
	var netErr *net.OpError
	if errors.As(err, &connect) || errors.As(err, &netErr) {
		return fmt.Errorf("%w: %w", eventstore.ErrUnavailable, err)
	}
	return err
}
