package main

// What a client of BenchmarkServe's mix knows of its workspace, and how it speaks to the
// service.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	nethttp "net/http"
	"net/url"
	"slices"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// benchWorkspace is a workspace the mix acts in: its ids, its catalog, and the members
// its clients may act on.
type benchWorkspace struct {
	id, owner                   uuid.UUID
	token                       string // the owner's API token, issued after seeding
	projects, categories, visas []uuid.UUID
	// members are active members below admin, that the mix's clients share out.
	members []*benchMember
}

// benchMember is a member as the mix client that acts on it knows it. Only that client
// changes it; changes, the number of commands it answered on the member, is also read
// by the client's read backs.
type benchMember struct {
	id      uuid.UUID
	email   string
	role    domain.WorkspaceRole
	active  bool                    // false: license deactivated
	visas   map[uuid.UUID]uuid.UUID // visa by category
	changes atomic.Int64
}

// read sends a query of the workspace and records its latency.
func (c *mixClient) read(ctx context.Context, path string) error {
	a, err := c.send(ctx, "GET", c.base+path, nil, nethttp.StatusOK, true)
	if err != nil {
		return err
	}
	c.stats.reads++
	c.stats.read = append(c.stats.read, a.took)
	return nil
}

// readBack lists the changed member with the command's consistency token, which makes
// the server wait until the member list has caught up, and checks that it shows the
// change, unless a later command of the client changed the member again meanwhile; it
// answers how long that took: the lag. It may run beside the client's next steps.
func (c *mixClient) readBack(ctx context.Context, ch change) (time.Duration, error) {
	email := ch.member.email
	if ch.token == "" {
		return 0, fmt.Errorf("a command on %s changed nothing: no consistency token", email)
	}
	a, err := c.send(ctx, "GET", c.base+"/members?q="+url.QueryEscape(email), nil, nethttp.StatusOK, true, "X-Consistency-Token", ch.token)
	if err != nil {
		return 0, err
	}
	var page struct{ Items []listedMember }
	if err := json.Unmarshal(a.body, &page); err != nil {
		return 0, fmt.Errorf("member list: %w", err)
	}
	i := slices.IndexFunc(page.Items, func(m listedMember) bool { return m.Email == email })
	if (i < 0 || !ch.check(page.Items[i])) && ch.member.changes.Load() == ch.seq {
		return 0, fmt.Errorf("the member list read with consistency token %s does not show the change of %s: %s", ch.token, email, a.body)
	}
	return a.took, nil
}

// answer is what a request answered.
type answer struct {
	body  []byte
	token string // X-Consistency-Token
	took  time.Duration
}

// send sends a request, as the workspace's owner when auth, a command with an
// Idempotency-Key of its own; any status but want is an error that carries the body.
// Commands are counted and timed.
func (c *mixClient) send(ctx context.Context, method, target string, body any, want int, auth bool, headers ...string) (answer, error) {
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body) // maps of strings: cannot fail
		rd = bytes.NewReader(data)
	}
	req, err := nethttp.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return answer{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", uuid.NewString())
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+c.ws.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	t0 := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("%s %s: %w", method, target, err)
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	a := answer{body: data, token: resp.Header.Get("X-Consistency-Token"), took: time.Since(t0)}
	if err != nil {
		return a, fmt.Errorf("%s %s: read the answer: %w", method, target, err)
	}
	if resp.StatusCode != want {
		return a, fmt.Errorf("%s %s: status %d, want %d: %s", method, target, resp.StatusCode, want, data)
	}
	if body != nil {
		c.stats.commands++
		c.stats.cmd = append(c.stats.cmd, a.took)
	}
	return a, nil
}
