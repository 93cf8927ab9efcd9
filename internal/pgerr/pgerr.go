// Package pgerr classifies the errors of PostgreSQL calls made with pgx, in one place for
// every package that talks to the database: the event store, the read models and the
// API tokens each mark what it classifies with the sentinel their callers test for.
package pgerr

import (
	"context"
	"errors"
	"io"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
)

// SQLSTATEs of a server that cannot take the statement now, whatever it is: it is shutting
// down or starting up, or has no connection to spare. Class 08 (connection exceptions)
// is matched as a class.
const (
	adminShutdown       = "57P01" // also what pg_terminate_backend answers
	crashShutdown       = "57P02"
	cannotConnectNow    = "57P03" // starting up, shutting down, in recovery
	tooManyConnections  = "53300"
	connectionException = "08"
)

// SQLSTATEs of a statement that names a relation or schema that does not exist.
const (
	undefinedTable    = "42P01"
	invalidSchemaName = "3F000"
)

// Unavailable reports whether err says that the database cannot answer now, while
// nothing is wrong with the statement: the same call may succeed later. That is:
//
//   - the server refused the session or statement as an outage: SQLSTATE class 08
//     (connection exceptions), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
//     cannot_connect_now (starting up, shutting down), 53300 too_many_connections;
//   - a connect that failed without the server refusing it (refused, unreachable, timed
//     out, cut during the handshake): a *pgconn.ConnectError without a server error;
//   - a connection lost or closed mid-statement: io.ErrUnexpectedEOF, io.EOF,
//     pgconn.ErrConnClosed, a net.Error, an error pgconn says happened before anything
//     was sent (pgconn.SafeToRetry);
//   - the database not answering in time: pgconn.Timeout, context.DeadlineExceeded (a
//     deadline is always the server's own: a client that leaves cancels);
//   - a closed pool.
//
// Any other server error (a constraint, a syntax error, a wrong password, a missing
// database) is not an outage, and neither is context.Canceled: whoever canceled the
// call gave up on it. A nil err is not an outage.
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	// A server error decides alone, even inside a ConnectError: the server answered.
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return unavailableCode(pgErr.Code)
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, puddle.ErrClosedPool) ||
		errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) || pgconn.SafeToRetry(err) ||
		errors.As(err, &netErr)
}

// unavailableCode reports whether a SQLSTATE says the server cannot take any statement
// now (see Unavailable).
func unavailableCode(code string) bool {
	switch code {
	case adminShutdown, crashShutdown, cannotConnectNow, tooManyConnections:
		return true
	}
	return len(code) == 5 && code[:2] == connectionException
}

// Undefined reports whether err is the server's refusal of a statement that names a
// table, view or schema that does not exist (SQLSTATE 42P01 undefined_table, 3F000
// invalid_schema_name): on the read side, a read model not installed yet.
func Undefined(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == undefinedTable || pgErr.Code == invalidSchemaName)
}
