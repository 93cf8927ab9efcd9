package kurrentdb

import (
	"errors"
	"fmt"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"accessledger/eventstore"
)

// errorOf maps a client error to the store's errors, with what the caller was doing:
// a stream that does not exist is eventstore.ErrStreamNotFound, a failed expectation an
// *eventstore.VersionConflictError (whose Actual the caller fills in), a server out of
// reach eventstore.ErrUnavailable; anything else is wrapped as it is.
func errorOf(err error, stream string, expected eventstore.ExpectedVersion, doing string) error {
	var kerr *kurrentdb.Error
	if !errors.As(err, &kerr) {
		return fmt.Errorf("%s %s: %w", doing, stream, err)
	}
	if mapped := errorForCode(kerr.Code(), stream, expected); mapped != nil {
		return mapped
	}
	return fmt.Errorf("%s %s: %w", doing, stream, unavailable(err))
}

// unavailable marks err with eventstore.ErrUnavailable when the server could not be
// reached or could not serve (retryable), and answers it as it is otherwise.
func unavailable(err error) error {
	if retryable(err) {
		return fmt.Errorf("%w: %w", eventstore.ErrUnavailable, err)
	}
	return err
}

// errorForCode answers the store error a client error code stands for, or nil when it
// stands for none (a transport or server failure, reported as it is).
func errorForCode(code kurrentdb.ErrorCode, stream string, expected eventstore.ExpectedVersion) error {
	switch code {
	case kurrentdb.ErrorCodeResourceNotFound, kurrentdb.ErrorCodeStreamDeleted, kurrentdb.ErrorCodeStreamTombstoned:
		return fmt.Errorf("%s: %w", stream, eventstore.ErrStreamNotFound)
	case kurrentdb.ErrorCodeWrongExpectedVersion, kurrentdb.ErrorCodeStreamRevisionConflict:
		return &eventstore.VersionConflictError{Stream: stream, Expected: expected}
	}
	return nil
}

// retryable reports whether a client error is worth trying again after a pause: the
// node went away, lost the leadership or aborted; never a refusal of the request itself.
func retryable(err error) bool {
	var kerr *kurrentdb.Error
	if !errors.As(err, &kerr) {
		return false
	}
	return codeRetryable(kerr.Code())
}

func codeRetryable(code kurrentdb.ErrorCode) bool {
	switch code {
	case kurrentdb.ErrorUnavailable, kurrentdb.ErrorCodeNotLeader, kurrentdb.ErrorAborted,
		kurrentdb.ErrorCodeConnectionClosed, kurrentdb.ErrorCodeDeadlineExceeded:
		return true
	}
	return false
}
