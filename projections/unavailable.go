package projections

import (
	"errors"
	"fmt"

	"accessledger/eventstore"
	"accessledger/internal/pgerr"
)

// Errors of the read side that callers test for with errors.Is; the HTTP layer answers
// both with 503 and Retry-After. Every exported query of a read model (ListMembers,
// CheckAccess, ...) marks its errors with them; Failed, ReadStatus, WaitFor,
// StartRebuild and Runtime.Ready mark with ErrUnavailable.
var (
	// ErrUnavailable marks a query of the read models (or of the projections' state)
	// that failed because the database cannot answer now: down, starting up, out of
	// connections, a connection lost (see pgerr.Unavailable). Nothing is wrong with the
	// query; the same query may succeed later.
	ErrUnavailable = errors.New("read models unavailable")
	// ErrNotReady marks a query of a read model that cannot answer yet: its tables are
	// not installed (the runtime installs them when it starts), or not built yet.
	ErrNotReady = errors.New("read model not ready")
)

// ReadFailed marks *err, the error of a read model query, as ReadError does. Deferred
// by every exported query, so that no way out of it is missed.
func ReadFailed(err *error) { *err = ReadError(*err) }

// stateFailed marks *err, the error of a read or change of the projections' state
// (checkpoints, rebuilds), with ErrUnavailable when the database could not answer.
func stateFailed(err *error) {
	if pgerr.Unavailable(*err) && !outageMarked(*err) {
		*err = fmt.Errorf("%w: %w", ErrUnavailable, *err)
	}
}

// outageMarked reports whether err already carries a sentinel of an outage.
func outageMarked(err error) bool {
	return errors.Is(err, ErrUnavailable) || errors.Is(err, eventstore.ErrUnavailable)
}

// ReadError marks err with ErrUnavailable when the database could not answer, and with
// ErrNotReady when the statement named a read model view that does not exist yet: the
// read side reads only the rm views that installing a projection creates. Any other
// error is answered as it is.
func ReadError(err error) error {
	switch {
	case err == nil, outageMarked(err), errors.Is(err, ErrNotReady):
		return err
	case pgerr.Unavailable(err):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	case pgerr.Undefined(err):
		return fmt.Errorf("%w: %w", ErrNotReady, err)
	}
	return err
}

// outage reports whether err is the database or the event store failing to answer for
// now: what a projector waits out instead of failing.
func outage(err error) bool {
	return outageMarked(err) || pgerr.Unavailable(err)
}
