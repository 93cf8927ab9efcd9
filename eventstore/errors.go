package eventstore

import (
	"errors"
	"fmt"
)

// Errors that callers test for with errors.Is.
var (
	// ErrInvalid marks input that Append or a read refuses before touching storage.
	// The error is a *ValidationError.
	ErrInvalid = errors.New("invalid event store input")
	// ErrVersionConflict marks an append whose stream was not at the expected version.
	// The error is a *VersionConflictError carrying the actual version.
	ErrVersionConflict = errors.New("stream version conflict")
	// ErrStreamNotFound marks a read of a stream that has no events.
	ErrStreamNotFound = errors.New("stream not found")
	// ErrDuplicateEvent marks an append that reuses stored event ids other than as an
	// exact retry of an earlier append.
	ErrDuplicateEvent = errors.New("event id already stored")
	// ErrUnavailable marks a call that could not reach the store (down, unreachable,
	// without a leader): nothing is wrong with the input, and the same call may succeed
	// later. An append that fails with it may have landed; retrying it with the same
	// event ids is safe.
	ErrUnavailable = errors.New("event store unavailable")
)

// ValidationError says which part of the input is malformed. It matches ErrInvalid.
type ValidationError struct {
	// Field names the offending input, such as "stream" or "events[2].data".
	Field string
	// Problem says what is wrong with it.
	Problem string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("invalid %s: %s", e.Field, e.Problem)
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// VersionConflictError reports the version a stream really had when an append expected
// another. It matches ErrVersionConflict.
type VersionConflictError struct {
	Stream   string
	Expected ExpectedVersion
	// Actual is the stream's version when the conflict was seen (0: no stream).
	Actual int64
}

func (e *VersionConflictError) Error() string {
	return fmt.Sprintf("append to %s: expected %s, stream is at version %d", e.Stream, e.Expected, e.Actual)
}

// Is makes errors.Is(err, ErrVersionConflict) true.
func (e *VersionConflictError) Is(target error) bool { return target == ErrVersionConflict }
