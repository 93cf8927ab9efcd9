package http

import (
	"encoding/json"
	nethttp "net/http"
)

// problem is an RFC 9457 problem document, with the stable code that clients branch on.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
}

// writeProblem answers a problem document. Its type is about:blank, whose title is by
// RFC 9457 the status text; code says what went wrong.
func writeProblem(w nethttp.ResponseWriter, status int, code, detail string) {
	p := problem{Type: "about:blank", Title: nethttp.StatusText(status), Status: status, Detail: detail, Code: code}
	writeBody(w, status, "application/problem+json", p)
}

// writeJSON answers v as JSON.
func writeJSON(w nethttp.ResponseWriter, status int, v any) {
	writeBody(w, status, "application/json", v)
}

func writeBody(w nethttp.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	// The status is sent: an encoding error can only be a broken connection.
	_ = json.NewEncoder(w).Encode(v)
}
