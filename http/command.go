package http

import (
	nethttp "net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"

	"accessledger/app"
	"accessledger/eventstore"
)

// Headers of the command protocol (docs/api.md).
const (
	consistencyHeader = "X-Consistency-Token"
	idempotencyHeader = "Idempotency-Key"
)

// idempotencyNamespace derives command ids from idempotency keys.
var idempotencyNamespace = uuid.MustParse("6f0f3c3e-5c1f-4f53-9d0e-6a1d2b0c7a11")

// commandMeta answers the metadata of the command that r asks for: the caller as actor,
// a command id derived from Idempotency-Key (so that a retry with the same key on the
// same route by the same caller is the same command), If-Match as the expected version,
// and the caller's stated reason. A command takes no query parameter: one sent is a
// client's mistake (a filter it believes applies), refused rather than ignored.
func commandMeta(r *nethttp.Request, reason string) (app.Meta, error) {
	meta := app.Meta{Actor: actor(r), Reason: reason}
	if err := newQuery(r.URL).done(); err != nil {
		return meta, err
	}
	// Every request type tags its reason with a rule that decoding checks; this check
	// keeps the event store's limit for one that would not.
	if problem := ruleReason.check(reason); problem != "" {
		return meta, badField("reason", "%s", problem)
	}
	if key := r.Header.Get(idempotencyHeader); key != "" {
		if len(key) > 255 || strings.ContainsFunc(key, func(c rune) bool { return c < 0x21 || c > 0x7e }) {
			return meta, badField(idempotencyHeader, "must be 1 to 255 printable ASCII characters")
		}
		account := callerAccount(r)
		meta.CommandID = uuid.NewSHA1(idempotencyNamespace, []byte(account.String()+"\x00"+r.Method+"\x00"+r.URL.Path+"\x00"+key))
	}
	if id, err := uuid.Parse(requestID(r)); err == nil {
		meta.CorrelationID = id
	}
	if match := r.Header.Get("If-Match"); match != "" && match != "*" {
		kind, v, err := parseETag(match)
		if err != nil {
			return meta, err
		}
		meta.IfKind = kind
		meta.IfVersion = &v
	}
	return meta, nil
}

// etag answers the entity tag of a stream at a version: the stream's kind and the
// version, "member.5". The kind keeps the version of one resource from being taken for
// that of another: a member's detail answers its roster's version (the workspace
// stream), its grants are versioned by the member's stream, and a bare number could
// match either.
func etag(stream string, version int64) string {
	v := strconv.FormatInt(version, 10)
	if kind := app.StreamKind(stream); kind != "" {
		v = kind + "." + v
	}
	return `"` + v + `"`
}

// parseETag answers the stream kind and version of an ETag this API answered; a bare
// version, as earlier versions of the API answered, has no kind and is checked against
// the command's main stream whatever its kind.
func parseETag(s string) (kind string, version int64, err error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "W/")
	if unquoted, ok := strings.CutPrefix(s, `"`); ok {
		s, ok = strings.CutSuffix(unquoted, `"`)
		if !ok {
			return "", 0, badField("If-Match", "must be an ETag this API answered, such as \"member.3\"")
		}
	}
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		kind, s = s[:i], s[i+1:]
		if kind == "" || strings.IndexFunc(kind, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
			return "", 0, badField("If-Match", "must be an ETag this API answered, such as \"member.3\"")
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return "", 0, badField("If-Match", "must be an ETag this API answered, such as \"member.3\"")
	}
	return kind, v, nil
}

// commandResult is the body of a command's answer when it has nothing else to say.
type commandResult struct {
	Stream           string `json:"stream"`
	Version          int64  `json:"version"`
	ConsistencyToken string `json:"consistency_token,omitempty"`
}

func resultOf(res app.Result) commandResult {
	return commandResult{Stream: res.Stream, Version: res.Version, ConsistencyToken: token(res.Position)}
}

// token answers the consistency token of a position; none for a command that changed
// nothing.
func token(p eventstore.Position) string {
	if p == (eventstore.Position{}) {
		return ""
	}
	return p.String()
}

// writeResult answers a command's result: ETag and consistency token in the headers,
// and body (the plain result when nil).
func writeResult(w nethttp.ResponseWriter, status int, res app.Result, body any) {
	w.Header().Set("ETag", etag(res.Stream, res.Version))
	if t := token(res.Position); t != "" {
		w.Header().Set(consistencyHeader, t)
	}
	if body == nil {
		body = resultOf(res)
	}
	writeJSON(w, status, body)
}

// pathID answers the UUID in path variable name.
func pathID(r *nethttp.Request, name string) (uuid.UUID, error) {
	return parseID(name, mux.Vars(r)[name])
}

// parseID parses a UUID from field, in its canonical form.
func parseID(field, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil || id == uuid.Nil || len(s) != 36 {
		return uuid.Nil, badField(field, "must be a UUID such as 0192f0c4-8e4b-7c3a-9d2e-5f6a7b8c9d0e")
	}
	return id, nil
}

// parseOptionalTime parses an RFC 3339 time from field; empty answers nil.
func parseOptionalTime(field, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, badField(field, "must be an RFC 3339 time such as 2026-12-01T09:00:00Z")
	}
	return &t, nil
}
