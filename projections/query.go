package projections

import "errors"

// ErrInvalidQuery marks a query refused for its arguments: a malformed cursor, filter or
// action. The HTTP layer answers it with 400 or 422; errors.Is finds it through
// QueryError.
var ErrInvalidQuery = errors.New("invalid query")

// QueryError names the query argument that is invalid and why. It is an ErrInvalidQuery.
type QueryError struct {
	Field, Message string
}

// Error implements error.
func (e *QueryError) Error() string { return "invalid " + e.Field + ": " + e.Message }

// Is makes errors.Is(err, ErrInvalidQuery) true for every QueryError.
func (e *QueryError) Is(target error) bool { return target == ErrInvalidQuery }
