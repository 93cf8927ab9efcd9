package postgres

import (
	"fmt"

	"accessledger/eventstore"
	"accessledger/internal/pgerr"
)

// unavailable marks err with eventstore.ErrUnavailable when it says the database cannot
// answer now (see pgerr.Unavailable: down, starting up or shutting down, out of
// connections, a connection lost mid-statement), and answers it as it is otherwise: a
// statement the server refused, or a connect it refused (a wrong password), is no
// outage. An append cut mid-statement may have landed; retrying it with the same event
// ids is safe (eventstore.ErrUnavailable).
func unavailable(err error) error {
	if pgerr.Unavailable(err) {
		return fmt.Errorf("%w: %w", eventstore.ErrUnavailable, err)
	}
	return err
}
