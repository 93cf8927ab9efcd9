package main

// How the fault suite's clients speak to serve: every command with an Idempotency-Key of
// its own, sent again with it until it is answered.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	nethttp "net/http"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/uuid"
)

const (
	// faultGiveUp bounds the retries of one command: a service that is back answers
	// within seconds, so a command still unanswered after this is lost.
	faultGiveUp = 90 * time.Second
	// faultServerErrorTries bounds the attempts of a command answered 500: the answer
	// is a failure already; a few retries learn whether the command applied.
	faultServerErrorTries = 3
	// faultAttemptTimeout bounds one attempt.
	faultAttemptTimeout = 30 * time.Second
)

// faultHTTP speaks to serve for the clients of the suite.
type faultHTTP struct {
	server string // serve's base URL
	token  string // the workspace owner's API token
	owner  uuid.UUID
	http   *nethttp.Client
	ledger *faultLedger
}

func newFaultHTTP(server, token string, owner uuid.UUID, ledger *faultLedger, clients int) *faultHTTP {
	transport := &nethttp.Transport{MaxIdleConns: 2 * clients, MaxIdleConnsPerHost: 2 * clients}
	return &faultHTTP{server: server, token: token, owner: owner, ledger: ledger,
		http: &nethttp.Client{Transport: transport, Timeout: faultAttemptTimeout}}
}

// command sends a command until it is answered (2xx or 4xx), records it and its
// attempts in the ledger, and answers it settled. auth sends the owner's token.
func (h *faultHTTP) command(kind, method, path string, body any, auth bool) *faultCommand {
	data, _ := json.Marshal(body) // maps of strings: cannot fail
	c := &faultCommand{kind: kind, method: method, path: path, key: uuid.NewString()}
	if auth {
		c.caller = h.owner
	}
	h.ledger.add(c)
	retry := backoff.NewExponentialBackOff()
	retry.InitialInterval, retry.MaxInterval, retry.MaxElapsedTime = 50*time.Millisecond, 2*time.Second, faultGiveUp
	serverErrors := 0
	for {
		c.attempts++
		a := h.send(method, path, data, c.key, auth)
		h.ledger.record(a, false)
		if a.status >= 500 && a.status != 503 {
			serverErrors++
		}
		if faultAnswered(a.status) || serverErrors >= faultServerErrorTries {
			c.status, c.answer = a.status, a.body
			return c
		}
		wait := retry.NextBackOff()
		if wait == backoff.Stop {
			return c // never answered: status 0
		}
		if s, err := strconv.Atoi(a.retryAfter); err == nil {
			wait = max(wait, time.Duration(s)*time.Second)
		}
		time.Sleep(wait)
	}
}

// faultAnswered tells whether status settles a command: the service decided it, one way or
// the other. No answer, 503 and other 5xx leave it open.
func faultAnswered(status int) bool { return status >= 200 && status < 500 }

// read sends a query once, as the owner, and records its answer.
func (h *faultHTTP) read(path string) {
	h.ledger.record(h.send(nethttp.MethodGet, path, nil, "", true), true)
}

// send makes one attempt of a request and answers what it got; status 0 when nothing
// came back.
func (h *faultHTTP) send(method, path string, body []byte, key string, auth bool) faultAnswer {
	a := faultAnswer{method: method, path: path, key: key, requestID: uuid.NewString(), request: body}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), faultAttemptTimeout)
	defer cancel()
	req, err := nethttp.NewRequestWithContext(ctx, method, h.server+path, rd)
	if err != nil {
		a.err = err
		return a
	}
	req.Header.Set("X-Request-ID", a.requestID)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+h.token)
	}
	resp, err := h.http.Do(req)
	if err != nil {
		a.err = err
		return a
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		// Cut off mid-answer: for the client, no answer.
		a.err = errors.Join(errors.New("read the answer"), err)
		return a
	}
	a.status, a.body, a.retryAfter = resp.StatusCode, data, resp.Header.Get("Retry-After")
	return a
}

// setup sends a command of the suite's set-up, which must succeed, and decodes its
// answer into out (when not nil).
func (h *faultHTTP) setup(method, path string, body any, out any) error {
	c := h.command("setup", method, path, body, true)
	if c.status < 200 || c.status >= 300 {
		return errors.New("set-up " + c.String())
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(c.answer, out)
}
