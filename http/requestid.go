package http

import (
	"context"
	nethttp "net/http"
	"regexp"

	"github.com/google/uuid"
)

// requestIDHeader carries a request's id, in both directions: a caller may send one (a
// gateway's), and every answer names the one its log line has.
const requestIDHeader = "X-Request-ID"

// validRequestID admits the ids callers may send: short and printable, so that nothing
// odd reaches the logs.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

type requestIDKey struct{}

// withRequestID gives every request an id, in its context and in the answer's headers.
func withRequestID(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		id := r.Header.Get(requestIDHeader)
		if !validRequestID.MatchString(id) {
			id = uuid.Must(uuid.NewV7()).String()
		}
		w.Header().Set(requestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// requestID answers the id withRequestID gave r.
func requestID(r *nethttp.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}
