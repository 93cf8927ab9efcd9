package postgres

import (
	"errors"
	"fmt"
	"net"

	"accessledger/eventstore"
)

// unavailable marks err with eventstore.ErrUnavailable when it is a failure to reach
// the server over the network (a refused or broken connection), and answers it as it is
// otherwise: a query the server refused, or a connect it refused (a wrong password), is
// no outage.
func unavailable(err error) error {
	var netErr *net.OpError
	if errors.As(err, &netErr) {
		return fmt.Errorf("%w: %w", eventstore.ErrUnavailable, err)
	}
	return err
}
