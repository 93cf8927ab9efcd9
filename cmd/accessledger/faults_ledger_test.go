package main

// What the fault suite's load sent and what it got back.

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"

	"accessledger/app"
)

// faultIdempotencyNamespace is the namespace from which http/command.go derives a
// command id from an Idempotency-Key; the suite derives the same ids to find a
// command's events.
var faultIdempotencyNamespace = uuid.MustParse("6f0f3c3e-5c1f-4f53-9d0e-6a1d2b0c7a11")

// faultCommand is one command of the load: what was sent, with one Idempotency-Key
// across its attempts, and the answer that settled it.
type faultCommand struct {
	kind         string // invite, accept, role, deactivate, reactivate, visa
	method, path string
	key          string
	caller       uuid.UUID // the account of the token sent; uuid.Nil without one
	attempts     int
	status       int    // the settling answer's status; 0: never answered
	answer       []byte // the settling answer's body
}

// ids answers the command ids the command's events carry: the one derived from its key
// (http/command.go), and for an accept also the one of the API token it records
// (http/routes_tokens.go, app/token_record.go).
func (c *faultCommand) ids() []uuid.UUID {
	id := uuid.NewSHA1(faultIdempotencyNamespace, []byte(c.caller.String()+"\x00"+c.method+"\x00"+c.path+"\x00"+c.key))
	if c.kind != "accept" {
		return []uuid.UUID{id}
	}
	token := app.DerivedID(id, "invitation-token")
	return []uuid.UUID{id, app.DerivedID(id, "token-issued\x00"+token.String())}
}

func (c *faultCommand) String() string {
	return fmt.Sprintf("%s %s %s (Idempotency-Key %s, %d attempts, settled by %d: %s)",
		c.kind, c.method, c.path, c.key, c.attempts, c.status, faultClip(c.answer))
}

// faultAnswer is one answer (or its absence: status 0) to one attempt of a request.
type faultAnswer struct {
	phase        string
	method, path string
	key          string // the Idempotency-Key; empty for a read
	requestID    string // sent in X-Request-ID, for serve's log
	request      []byte // the request's body
	status       int
	retryAfter   string
	body         []byte
	err          error
}

// bad tells whether the answer is outside what a client may get from a service that
// loses a dependency: 2xx, 4xx, or 503 with Retry-After (or no answer at all).
func (a faultAnswer) bad() bool {
	switch {
	case a.status == 0, a.status >= 200 && a.status < 300, a.status >= 400 && a.status < 500:
		return false
	case a.status == 503:
		return a.retryAfter == ""
	}
	return true
}

// faultLedger records the load's commands and every answer, for the checks and the
// figures. Safe for concurrent use.
type faultLedger struct {
	mu       sync.Mutex
	phase    string
	commands []*faultCommand
	answers  map[string]int // attempts by status ("none": no answer), commands and reads
	reads    int
	bad      []faultAnswer // answers bad() admits, not reported yet
	badTotal int
	no503RA  int // 503s without Retry-After among them
}

func newFaultLedger() *faultLedger { return &faultLedger{answers: map[string]int{}} }

// setPhase names the phase the following answers belong to.
func (l *faultLedger) setPhase(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.phase = name
}

// add records a new command, before its first attempt.
func (l *faultLedger) add(c *faultCommand) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.commands = append(l.commands, c)
}

// record records the answer to one attempt of a command or read.
func (l *faultLedger) record(a faultAnswer, read bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a.phase = l.phase
	status := "none"
	if a.status != 0 {
		status = strconv.Itoa(a.status)
	}
	l.answers[status]++
	if read {
		l.reads++
	}
	if a.bad() {
		l.bad = append(l.bad, a)
		l.badTotal++
		if a.status == 503 {
			l.no503RA++
		}
	}
}

// takeBad answers the bad answers recorded since the last call.
func (l *faultLedger) takeBad() []faultAnswer {
	l.mu.Lock()
	defer l.mu.Unlock()
	bad := l.bad
	l.bad = nil
	return bad
}

// settled answers every command so far. Call it while no client runs: their fields are
// the clients' until then.
func (l *faultLedger) settled() []*faultCommand {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.commands)
}

// figures answers the reads sent, the attempts by status in order ("200=12 503=3
// none=4": none is no answer), and the bad answers among them.
func (l *faultLedger) figures() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var parts []string
	for _, status := range slices.Sorted(maps.Keys(l.answers)) {
		parts = append(parts, fmt.Sprintf("%s=%d", status, l.answers[status]))
	}
	return fmt.Sprintf("reads=%d; answers by status: %s; 5xx other than 503=%d; 503 without Retry-After=%d",
		l.reads, strings.Join(parts, " "), l.badTotal-l.no503RA, l.no503RA)
}

// faultIDPattern finds ids in paths, to group answers by route.
var faultIDPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// faultRoute answers the path with its ids as {id}: the route the answer came from.
func faultRoute(path string) string {
	path, _, _ = strings.Cut(path, "?")
	return faultIDPattern.ReplaceAllString(path, "{id}")
}

// faultClip answers a body short enough for a failure message.
func faultClip(body []byte) string {
	const most = 400
	s := strings.TrimSpace(string(body))
	if len(s) > most {
		return s[:most] + "…"
	}
	return s
}
