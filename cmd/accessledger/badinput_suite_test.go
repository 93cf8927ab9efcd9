package main

import (
	"io"
	nethttp "net/http"
	"strings"
	"testing"

	"accessledger/internal/pgtest"
)

// TestBadInput sends every operation of the served OpenAPI document bad requests: bodies
// mutated from a valid one field by field and as a whole, bad path parameters, bad and
// unknown query parameters. Every answer must be below 500, a 4xx must be a problem
// document with a code and fit the document, and no refused request may append an event
// (each request carries its own X-Request-Id, which becomes its events' correlation id).
// Failures are gathered and reported by operation and check, not stopped at.
func TestBadInput(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", dbURL)
	t.Setenv("EVENTSTORE_URL", "")
	serverLog := new(lockedBuffer)
	s := startServe(badInputTB{T: t, out: serverLog}, "--addr", "127.0.0.1:0", "--log-level", "warn")
	// serve listens before its read models are installed; a 503 not_ready then is right,
	// but not what this suite is about.
	waitReady(t, s.url)
	answers := newAnswerChecker(t, s.url)
	platform := &apiClient{t: t, base: s.url, token: platformToken(t), answers: answers}
	ops := badInputFetchOperations(t, s.url)
	fx := newBadInputFixture(platform)
	rec := newBadInputRecorder(s.url, answers)

	var last []badInputOp
	t.Run("operations", func(t *testing.T) {
		for _, op := range ops {
			if strings.HasSuffix(op.path, "/rebuild") {
				last = append(last, op) // a rebuild empties read models the others read
				continue
			}
			t.Run(op.String(), func(t *testing.T) {
				t.Parallel()
				rec.runOp(t, fx.on(t), op)
			})
		}
	})
	for _, op := range last {
		t.Run(op.String(), func(t *testing.T) { rec.runOp(t, fx.on(t), op) })
	}
	appended := rec.checkEvents(t, dbURL)
	rec.report(t, serverLog.String(), appended)
}

// badInputTB is a test whose Output is out: startServe writes serve's log there, where
// the suite looks up the errors of the requests that failed.
type badInputTB struct {
	*testing.T
	out io.Writer
}

// Output answers where serve's log goes.
func (b badInputTB) Output() io.Writer { return b.out }

// badInputFetchOperations reads the served OpenAPI document's operations.
func badInputFetchOperations(t *testing.T, base string) []badInputOp {
	t.Helper()
	resp, err := nethttp.Get(base + "/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != nethttp.StatusOK {
		t.Fatalf("GET /v1/openapi.json: %d, %v", resp.StatusCode, err)
	}
	ops, err := badInputOperations(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) == 0 {
		t.Fatal("the OpenAPI document has no operations")
	}
	return ops
}

// runOp sends op's valid request, which must succeed, then each of its bad requests. A
// request that is accepted and appends changes the target: the next ones get a new
// target, so that each is answered one change away from a valid request.
func (r *badInputRecorder) runOp(t *testing.T, f *badInputFixture, op badInputOp) {
	tg := f.target(op)
	recipes := badInputRecipes(f, tg, op)
	valid := badInputValid(f, tg, op)
	status, body, changed := r.send(t, op, tg.caller, valid)
	if status/100 != 2 {
		r.fail(badInputFailure{check: "the valid request is refused: the suite's fixture or the server is wrong",
			op: op.String(), label: valid.label, status: status, body: body})
	}
	for _, rc := range recipes {
		if changed {
			tg = f.target(op)
		}
		req := rc.build(f, tg)
		req.kind, req.label = rc.kind, rc.label
		status, _, changed = r.send(t, op, tg.caller, req)
		changed = changed && status/100 == 2
	}
}
