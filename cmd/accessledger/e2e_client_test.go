package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	nethttp "net/http"
	"strings"
	"testing"

	"accessledger/eventstore/kurrentdb/kurrentdbtest"
	"accessledger/internal/pgtest"
)

// apiClient speaks to a served API as a client would, over HTTP only.
type apiClient struct {
	t     *testing.T
	base  string
	token string
	// consistency is the token of the last command, sent with every query so that
	// queries read what the commands wrote.
	consistency string
	// answers checks every answer against the served OpenAPI document.
	answers *answerChecker
}

// as answers a client of the same server that sends token.
func (c *apiClient) as(token string) *apiClient {
	return &apiClient{t: c.t, base: c.base, token: token, consistency: c.consistency, answers: c.answers}
}

// call sends a request and fails the test unless it answers want; it decodes a JSON
// answer into out (when not nil) and answers the response, body read.
func (c *apiClient) call(method, path string, body any, want int, out any, headers ...string) (*nethttp.Response, []byte) {
	c.t.Helper()
	resp, data := c.try(method, path, body, headers...)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, data)
	}
	if out != nil && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/") {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	return resp, data
}

// try sends a request, whatever it answers, checks the answer against the OpenAPI
// document and keeps its consistency token; it answers the response, body read.
func (c *apiClient) try(method, path string, body any, headers ...string) (*nethttp.Response, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := nethttp.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if method == nethttp.MethodGet && c.consistency != "" {
		req.Header.Set("X-Consistency-Token", c.consistency)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := nethttp.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read the answer: %v", method, path, err)
	}
	if c.answers != nil {
		c.answers.check(c.t, method, path, resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
	if tok := resp.Header.Get("X-Consistency-Token"); tok != "" {
		c.consistency = tok
	}
	return resp, data
}

// problemCode answers the code of a problem document.
func problemCode(t *testing.T, data []byte) string {
	t.Helper()
	var p struct{ Code string }
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("not a problem document: %s", data)
	}
	return p.Code
}

// startAPI serves on a fresh database, as main does, waits until it is ready, and
// answers a client holding a platform admin token issued by `accessledger token create`.
func startAPI(t *testing.T) *apiClient {
	t.Helper()
	return startAPIOn(t, "")
}

// startAPIOn is startAPI with the events in the event store of eventstoreURL (empty:
// PostgreSQL).
func startAPIOn(t *testing.T, eventstoreURL string) *apiClient {
	t.Helper()
	url := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("EVENTSTORE_URL", eventstoreURL)
	s := startServe(t, "--addr", "127.0.0.1:0")
	// serve listens before its read models are installed, answering 503 not_ready
	// meanwhile, as a client that starts with it must expect.
	waitReady(t, s.url)
	return &apiClient{t: t, base: s.url, token: platformToken(t), answers: newAnswerChecker(t, s.url)}
}

// forEachBackend runs a story with its events in PostgreSQL, then in KurrentDB as
// kurrentdbtest models it: the API, the projections and the auditors' reads work alike
// on both.
func forEachBackend(t *testing.T, story func(t *testing.T, platform *apiClient)) {
	t.Run("postgres", func(t *testing.T) { story(t, startAPIOn(t, "")) })
	t.Run("kurrentdb", func(t *testing.T) { story(t, startAPIOn(t, kurrentdbtest.Start(t).URL())) })
}

// platformToken issues a platform admin token with `accessledger token create`, on the
// database of DATABASE_URL.
func platformToken(tb testing.TB) string {
	tb.Helper()
	var out bytes.Buffer
	if code := run(context.Background(), []string{"token", "create", "--platform-admin", "--json"}, env{stdout: &out, stderr: tb.Output()}); code != 0 {
		tb.Fatalf("token create: exit status %d", code)
	}
	var created struct{ Token string }
	if err := json.Unmarshal(out.Bytes(), &created); err != nil || created.Token == "" {
		tb.Fatalf("token create printed %q: %v", out.String(), err)
	}
	return created.Token
}
