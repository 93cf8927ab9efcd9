package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	nethttp "net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// badInputRequest is one request of the suite: what is wrong with it and its parts.
type badInputRequest struct {
	label, kind string // "body.owner.email: NUL (U+0000)", "control character"
	path, query string // raw, escaped
	body        badInputBody
	routed      bool // the path names the operation's route: its answer must fit the document
}

// badInputSent is what the suite remembers of a request, by its request id.
type badInputSent struct {
	op, label, kind string
	status          int
	appended        bool // the answer carried a consistency token: the command appended
}

// badInputFailure is an answer that breaks a requirement.
type badInputFailure struct {
	check, op, label string
	status           int
	body, id         string
}

// badInputRecorder sends the suite's requests and records what they answered.
type badInputRecorder struct {
	base    string
	http    *nethttp.Client
	answers *answerChecker

	mu       sync.Mutex
	sent     map[string]badInputSent // by request id
	statuses map[int]int
	failures []badInputFailure
}

// newBadInputRecorder answers a recorder of requests to the server at base, whose answers
// answers checks against the served document.
func newBadInputRecorder(base string, answers *answerChecker) *badInputRecorder {
	return &badInputRecorder{base: base, answers: answers, sent: map[string]badInputSent{}, statuses: map[int]int{},
		http: &nethttp.Client{
			Timeout: time.Minute, // bounds the suite should the server hang
			// A redirect is an answer of its own: following it would hide it.
			CheckRedirect: func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse },
		}}
}

// send sends req for op as caller, checks the answer and answers its status (0 when
// there was none), its body and whether it appended events (it answered a consistency
// token).
func (r *badInputRecorder) send(t *testing.T, op badInputOp, caller *apiClient, req badInputRequest) (int, string, bool) {
	t.Helper()
	id := uuid.NewString()
	var body io.Reader
	if !req.body.none {
		body = bytes.NewReader(req.body.data)
	}
	target := r.base + req.path
	if req.query != "" {
		target += "?" + req.query
	}
	hr, err := nethttp.NewRequest(op.method, target, body)
	if err != nil {
		t.Fatalf("%s %s: build the request: %v", op, req.label, err)
	}
	hr.Header.Set("X-Request-Id", id)
	if req.body.contentType != "" {
		hr.Header.Set("Content-Type", req.body.contentType)
	}
	if caller.token != "" {
		hr.Header.Set("Authorization", "Bearer "+caller.token)
	}
	if op.method == "GET" && caller.consistency != "" {
		hr.Header.Set("X-Consistency-Token", caller.consistency)
	}
	resp, err := r.http.Do(hr)
	if err != nil {
		r.fail(badInputFailure{check: "no answer", op: op.String(), label: req.label, body: err.Error(), id: id})
		return 0, err.Error(), false
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		r.fail(badInputFailure{check: "answer cut short", op: op.String(), label: req.label, body: err.Error(), id: id})
	}
	r.check(op, req, id, resp, data)
	return resp.StatusCode, string(data), resp.Header.Get("X-Consistency-Token") != ""
}

// check records the answer to request id and each requirement it breaks.
func (r *badInputRecorder) check(op badInputOp, req badInputRequest, id string, resp *nethttp.Response, data []byte) {
	status := resp.StatusCode
	r.mu.Lock()
	r.statuses[status]++
	r.sent[id] = badInputSent{op: op.String(), label: req.label, kind: req.kind, status: status,
		appended: resp.Header.Get("X-Consistency-Token") != ""}
	r.mu.Unlock()
	failed := func(check string) {
		r.fail(badInputFailure{check: check, op: op.String(), label: req.label, status: status, body: string(data), id: id})
	}
	if got := resp.Header.Get("X-Request-Id"); got != id {
		r.fail(badInputFailure{check: "the answer names another request id", op: op.String(), label: req.label,
			status: status, body: "X-Request-Id: " + got, id: id})
	}
	ct := resp.Header.Get("Content-Type")
	switch mt, _, _ := mime.ParseMediaType(ct); {
	case status >= 500:
		failed("5xx")
	case status >= 400 && mt != "application/problem+json":
		failed("4xx not application/problem+json (" + ct + ")")
	case status >= 400:
		var p struct{ Code string }
		if json.Unmarshal(data, &p) != nil || p.Code == "" {
			failed("problem document without a code")
		}
	}
	if req.routed && status < 500 { // a 5xx fails already
		if err := r.answers.validate(op.method, req.path, status, ct, data); err != nil {
			r.fail(badInputFailure{check: "answer not described by the OpenAPI document", op: op.String(), label: req.label,
				status: status, body: err.Error(), id: id})
		}
	}
}

// fail records a failure, to be reported with the others at the end.
func (r *badInputRecorder) fail(f badInputFailure) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, f)
}
