package http

import (
	"encoding/json"
	nethttp "net/http"

	"accessledger/domain"
)

// problem is an RFC 9457 problem document, with the stable code that clients branch on
// and, for validation_failed, every invalid field.
type problem struct {
	Type    string              `json:"type"`
	Title   string              `json:"title"`
	Status  int                 `json:"status"`
	Detail  string              `json:"detail,omitempty"`
	Code    string              `json:"code"`
	Errors  []domain.FieldError `json:"errors,omitempty"`
	Details map[string]string   `json:"details,omitempty"`
	// RequestID ties the answer to the server's log line.
	RequestID string `json:"request_id,omitempty"`
	// retryAfter sends Retry-After: 1 with the answer.
	retryAfter bool
}

// writeProblem answers a problem document. Its type is about:blank, whose title is by
// RFC 9457 the status text; code says what went wrong.
func writeProblem(w nethttp.ResponseWriter, status int, code, detail string) {
	writeProblemDoc(w, problem{Status: status, Detail: detail, Code: code})
}

func writeProblemDoc(w nethttp.ResponseWriter, p problem) {
	p.Type, p.Title = "about:blank", nethttp.StatusText(p.Status)
	if p.RequestID == "" {
		p.RequestID = w.Header().Get(requestIDHeader)
	}
	if p.retryAfter {
		w.Header().Set("Retry-After", "1")
	}
	writeBody(w, p.Status, "application/problem+json", p)
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
