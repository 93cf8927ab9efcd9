package kurrentdb

import (
	"strings"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
)

// Which streams of a server make the store's global log: not the server's own, and
// those under the store's namespace and prefixes.

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
