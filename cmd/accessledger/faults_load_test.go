package main

// The fault suite's load: clients acting as a workspace's owner, each on members of its
// own, so that no two clients race on one member and every command is meant to apply.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"
)

// faultWorkspace is the workspace the load acts in, and its catalog.
type faultWorkspace struct {
	base                        string // the workspace's path
	categories, visas, projects []uuid.UUID
}

// faultMember is a member as the one client that acts on it knows it: changed only when
// a command on it succeeded.
type faultMember struct {
	id        uuid.UUID
	role      string
	active    bool
	visas     map[uuid.UUID]uuid.UUID // visa by category
	scope     string                  // the level on company:faults ("" before any)
	contracts int                     // contract references set
}

// faultClient is one client of the load.
type faultClient struct {
	h       *faultHTTP
	ws      *faultWorkspace
	rng     *rand.Rand
	members []*faultMember
	invited []string // invitation tokens not accepted yet
}

// newFaultWorkspace creates the load's workspace and its owner's token with `accessledger
// workspace create`, then its catalog through the API: the booking module, projects,
// booking categories and visas.
func newFaultWorkspace(t *testing.T, server, dbURL string, ledger *faultLedger, clients int) (*faultWorkspace, *faultHTTP) {
	t.Helper()
	var out bytes.Buffer
	args := []string{"workspace", "create", "--json", "--name", "Faults", "--owner-email", "owner@faults.example",
		"--seats", "1000000", "--database-url", dbURL}
	if code := run(context.Background(), args, env{stdout: &out, stderr: t.Output()}); code != 0 {
		t.Fatalf("workspace create: exit status %d", code)
	}
	var created struct {
		WorkspaceID uuid.UUID `json:"workspace_id"`
		Owner       uuid.UUID `json:"owner_account_id"`
		Token       string    `json:"token"`
	}
	if err := json.Unmarshal(out.Bytes(), &created); err != nil || created.Token == "" {
		t.Fatalf("workspace create printed %q: %v", out.String(), err)
	}
	h := newFaultHTTP(server, created.Token, created.Owner, ledger, clients)
	ws := &faultWorkspace{base: "/v1/workspaces/" + created.WorkspaceID.String()}
	if err := h.setup("PUT", ws.base+"/modules/booking", map[string]any{"enabled": true, "min_role": "viewer"}, nil); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		path string
		ids  *[]uuid.UUID
		n    int
	}{{"projects", &ws.projects, 2}, {"booking/categories", &ws.categories, 2}, {"booking/visas", &ws.visas, 3}} {
		for i := range d.n {
			var item struct{ ID uuid.UUID }
			if err := h.setup("POST", ws.base+"/"+d.path, map[string]string{"name": fmt.Sprintf("%s %d", d.path, i)}, &item); err != nil {
				t.Fatal(err)
			}
			*d.ids = append(*d.ids, item.ID)
		}
	}
	return ws, h
}

// faultLoad runs the clients, phase by phase: start sets them going, stop lets each
// finish its command (with its retries) and waits for them.
type faultLoad struct {
	clients []*faultClient
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

func newFaultLoad(h *faultHTTP, ws *faultWorkspace, n int) *faultLoad {
	l := &faultLoad{}
	for i := range n {
		l.clients = append(l.clients, &faultClient{h: h, ws: ws, rng: rand.New(rand.NewPCG(uint64(i), 7))})
	}
	return l
}

func (l *faultLoad) start() {
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	for _, c := range l.clients {
		l.wg.Go(func() {
			for ctx.Err() == nil {
				c.step()
			}
		})
	}
}

func (l *faultLoad) stop() {
	l.cancel()
	l.wg.Wait()
}

// step sends one request: a fifth of them reads (a member list page, an access check, a
// member's detail), the rest commands in about equal shares.
func (c *faultClient) step() {
	switch r := c.rng.IntN(100); {
	case r < 10:
		c.h.read(c.ws.base + "/members?limit=50&sort=name")
	case r < 15 && len(c.members) > 0:
		m := c.members[c.rng.IntN(len(c.members))]
		c.h.read(c.ws.base + "/access/check?action=login&account=" + m.id.String())
	case r < 20 && len(c.members) > 0:
		c.h.read(c.memberPath(c.members[c.rng.IntN(len(c.members))]))
	case r < 34:
		c.invite()
	case r < 48 && len(c.invited) > 0:
		c.accept()
	case r < 60:
		c.changeRole()
	case r < 72:
		c.toggleLicense()
	case r < 84:
		c.grantVisa()
	case r < 92:
		c.setContract()
	default:
		c.setScope()
	}
}

// invite invites a new person as a member, with a project role half the time.
func (c *faultClient) invite() {
	email := uuid.NewString() + "@faults.example"
	req := map[string]any{"email": email, "first_name": "Fay", "last_name": "Fault", "role": "member"}
	if c.rng.IntN(2) == 0 {
		p := c.ws.projects[c.rng.IntN(len(c.ws.projects))]
		req["projects"] = []map[string]string{{"project_id": p.String(), "role": "contributor"}}
	}
	cmd := c.h.command("invite", "POST", c.ws.base+"/invitations", req, true)
	var inv struct {
		Token string `json:"invitation_token"`
	}
	if cmd.status == 201 && json.Unmarshal(cmd.answer, &inv) == nil && inv.Token != "" {
		c.invited = append(c.invited, inv.Token)
	}
}

// accept accepts the oldest invitation of the client's, as the invitee does: with the
// invitation token alone.
func (c *faultClient) accept() {
	token := c.invited[0]
	c.invited = c.invited[1:]
	cmd := c.h.command("accept", "POST", "/v1/invitations/accept", map[string]string{"token": token}, false)
	var acc struct {
		AccountID uuid.UUID `json:"account_id"`
	}
	if cmd.status == 200 && json.Unmarshal(cmd.answer, &acc) == nil {
		c.members = append(c.members, &faultMember{id: acc.AccountID, role: "member", active: true, visas: map[uuid.UUID]uuid.UUID{}})
	}
}

// changeRole gives an active member another of the roles member, viewer and manager.
func (c *faultClient) changeRole() {
	m := c.activeMember()
	if m == nil {
		c.invite()
		return
	}
	roles := slices.DeleteFunc([]string{"member", "viewer", "manager"}, func(r string) bool { return r == m.role })
	role := roles[c.rng.IntN(len(roles))]
	if c.h.command("role", "PUT", c.memberPath(m)+"/role", map[string]string{"role": role}, true).status == 200 {
		m.role = role
	}
}

// toggleLicense deactivates an active member's license, or reactivates a deactivated one.
func (c *faultClient) toggleLicense() {
	if len(c.members) == 0 {
		c.invite()
		return
	}
	m := c.members[c.rng.IntN(len(c.members))]
	action := "deactivate"
	if !m.active {
		action = "reactivate"
	}
	if c.h.command(action, "POST", c.memberPath(m)+"/license/"+action, map[string]string{"reason": "faults"}, true).status == 200 {
		m.active = !m.active
	}
}

// grantVisa grants an active member, on a category, a visa other than the one it holds.
func (c *faultClient) grantVisa() {
	m := c.activeMember()
	if m == nil {
		c.invite()
		return
	}
	category := c.ws.categories[c.rng.IntN(len(c.ws.categories))]
	visas := slices.DeleteFunc(slices.Clone(c.ws.visas), func(v uuid.UUID) bool { return v == m.visas[category] })
	visa := visas[c.rng.IntN(len(visas))]
	path := c.memberPath(m) + "/visas/" + category.String()
	if c.h.command("visa", "PUT", path, map[string]string{"visa_id": visa.String()}, true).status == 200 {
		m.visas[category] = visa
	}
}

// setContract records a new contract reference on an active member.
func (c *faultClient) setContract() {
	m := c.activeMember()
	if m == nil {
		c.invite()
		return
	}
	m.contracts++
	req := map[string]string{"reference": fmt.Sprintf("F-%d", m.contracts), "convention": "standard"}
	c.h.command("contract", "PUT", c.memberPath(m)+"/contract", req, true)
}

// setScope moves an active member's level on a company scope to the next of read,
// write and none.
func (c *faultClient) setScope() {
	m := c.activeMember()
	if m == nil {
		c.invite()
		return
	}
	levels := []string{"read", "write", "none"}
	level := levels[(slices.Index(levels, m.scope)+1)%len(levels)]
	if c.h.command("scope", "PUT", c.memberPath(m)+"/scopes/company:faults", map[string]string{"level": level}, true).status == 200 {
		m.scope = level
	}
}

func (c *faultClient) memberPath(m *faultMember) string {
	return c.ws.base + "/members/" + m.id.String()
}

// activeMember answers a random active member of the client's, or nil after a few
// draws of deactivated ones.
func (c *faultClient) activeMember() *faultMember {
	for range 8 {
		if len(c.members) == 0 {
			return nil
		}
		if m := c.members[c.rng.IntN(len(c.members))]; m.active {
			return m
		}
	}
	return nil
}
