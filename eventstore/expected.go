package eventstore

import "fmt"

// ExpectedVersion is the condition on a stream's current version under which Append
// writes. Stream versions count events: a stream with n events is at version n, and a
// stream that does not exist is at version 0.
type ExpectedVersion struct {
	kind    expectKind
	version int64
}

type expectKind uint8

const (
	expectExact expectKind = iota // the zero value: Exact(0), i.e. no stream
	expectAny
)

// Any appends whatever the stream's version is.
func Any() ExpectedVersion { return ExpectedVersion{kind: expectAny} }

// NoStream appends only to a stream that has no events yet.
func NoStream() ExpectedVersion { return ExpectedVersion{kind: expectExact} }

// Exact appends only to a stream whose version is exactly v. Exact(0) is NoStream.
// A negative v is refused by Append with a *ValidationError.
func Exact(v int64) ExpectedVersion { return ExpectedVersion{kind: expectExact, version: v} }

// IsAny reports whether e is Any.
func (e ExpectedVersion) IsAny() bool { return e.kind == expectAny }

// Version answers the exact version e expects and true, or 0 and false for Any.
func (e ExpectedVersion) Version() (int64, bool) {
	if e.kind == expectAny {
		return 0, false
	}
	return e.version, true
}

// Allows reports whether a stream at version current satisfies e.
func (e ExpectedVersion) Allows(current int64) bool {
	return e.kind == expectAny || e.version == current
}

// String answers "any", "no stream" or the exact version.
func (e ExpectedVersion) String() string {
	switch {
	case e.kind == expectAny:
		return "any"
	case e.version == 0:
		return "no stream"
	default:
		return fmt.Sprintf("version %d", e.version)
	}
}
