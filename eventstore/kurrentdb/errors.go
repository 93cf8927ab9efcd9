package kurrentdb

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"accessledger/eventstore"
)

// errorOf maps a client error to the store's errors, with what the caller was doing:
// a stream that does not exist is eventstore.ErrStreamNotFound, a failed expectation an
// *eventstore.VersionConflictError (whose Actual the caller fills in); anything else is
// wrapped as it is.
func errorOf(err error, stream string, expected eventstore.ExpectedVersion, doing string) error {
	var kerr *kurrentdb.Error
	if !errors.As(err, &kerr) {
		return fmt.Errorf("%s %s: %w", doing, stream, err)
	}
	if mapped := errorForCode(kerr.Code(), stream, expected); mapped != nil {
		return mapped
	}
	return fmt.Errorf("%s %s: %w", doing, stream, err)
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

// systemStream reports whether stream is one of the server's own ($-prefixed), which the
// global log leaves out.
func systemStream(stream string) bool { return strings.HasPrefix(stream, "$") }

// logPrefixes answers the prefixes of the streams of the global log: each of prefixes
// after the namespace, the namespace alone without prefixes, or nil (every stream).
func logPrefixes(namespace string, prefixes []string) []string {
	if len(prefixes) == 0 {
		if namespace == "" {
			return nil
		}
		return []string{namespace}
	}
	out := make([]string, len(prefixes))
	for i, p := range prefixes {
		out[i] = namespace + p
	}
	return out
}

// hasAnyPrefix reports whether stream begins with one of prefixes; with none, it does.
func hasAnyPrefix(stream string, prefixes []string) bool {
	if len(prefixes) == 0 {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(stream, p) {
			return true
		}
	}
	return false
}

// logFilter is the server-side filter of the global log: the streams whose names begin
// with one of prefixes (accessledger's stream kinds), or, with none given, every stream
// but the server's own. Filtering on the server keeps the server's many system events off
// the wire.
func logFilter(prefixes []string) *kurrentdb.SubscriptionFilter {
	if len(prefixes) == 0 {
		return &kurrentdb.SubscriptionFilter{Type: kurrentdb.StreamFilterType, Regex: `^[^$]`}
	}
	return &kurrentdb.SubscriptionFilter{Type: kurrentdb.StreamFilterType, Prefixes: append([]string(nil), prefixes...)}
}
