package main

// The requests of BenchmarkServe's mix: what an admin UI and other services send.

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	nethttp "net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// mixClient is one client of the mix: an admin UI acting as its workspace's owner on
// members of its own, so that no two clients race on one member (a role change of a
// member that another client deactivates would be refused, rightly).
type mixClient struct {
	server  string // the served URL
	base    string // the workspace's URL
	ws      *benchWorkspace
	http    *nethttp.Client
	rng     *rand.Rand
	members []*benchMember
	invited []mixInvite // invited by this client, not accepted yet
	stats   mixStats
}

// mixInvite is an invitation a client made and has yet to accept.
type mixInvite struct {
	token  string
	member *benchMember // not one of the client's members until accepted
}

// mixStats are what one client measured in one run.
type mixStats struct {
	commands, invites, reads int
	cmd, read, lag           []time.Duration
}

// newMixClients answers n clients on the workspaces, in turn; the clients of a
// workspace share its members out. It fails when a client gets no member: the log is
// too small for that many clients.
func newMixClients(serverURL string, workspaces []*benchWorkspace, n int) ([]*mixClient, error) {
	transport := &nethttp.Transport{MaxIdleConns: 2 * n, MaxIdleConnsPerHost: 2 * n}
	client := &nethttp.Client{Transport: transport, Timeout: time.Minute}
	clients := make([]*mixClient, n)
	for i := range clients {
		ws := workspaces[i%len(workspaces)]
		c := &mixClient{server: serverURL, base: serverURL + "/v1/workspaces/" + ws.id.String(), ws: ws, http: client,
			rng: rand.New(rand.NewPCG(uint64(i), 42))}
		k, sharing := i/len(workspaces), (n-1-i%len(workspaces))/len(workspaces)+1
		for j := k; j < len(ws.members); j += sharing {
			c.members = append(c.members, ws.members[j])
		}
		if len(c.members) == 0 {
			return nil, fmt.Errorf("workspace %s has %d members to act on, too few for %d clients", ws.id, len(ws.members), n)
		}
		clients[i] = c
	}
	return clients, nil
}

// step sends one request of the mix: half reads (member list pages, access checks),
// half commands. It answers the change a command made, nil after a read.
func (c *mixClient) step(ctx context.Context) (*change, error) {
	switch r := c.rng.IntN(100); {
	case r < 30:
		return nil, c.read(ctx, "/members?"+c.listQuery())
	case r < 50:
		m := c.members[c.rng.IntN(len(c.members))]
		return nil, c.read(ctx, "/access/check?action=login&account="+m.id.String())
	}
	ch, err := c.command(ctx)
	return &ch, err
}

// listQuery answers the query of a member list page, as the admin UI's filters make it.
func (c *mixClient) listQuery() string {
	w := c.ws
	switch c.rng.IntN(7) {
	case 0:
		return "limit=50&sort=name"
	case 1:
		return "limit=50&status=active&sort=-invited_at"
	case 2:
		return "limit=50&role=viewer&sort=email"
	case 3:
		return "limit=50&sort=name&category=" + w.categories[c.rng.IntN(len(w.categories))].String()
	case 4:
		return "limit=50&sort=-invited_at&project=" + w.projects[c.rng.IntN(len(w.projects))].String()
	case 5:
		return "limit=50&q=" + url.QueryEscape(strings.ToLower(seedFirstNames[c.rng.IntN(len(seedFirstNames))]))
	}
	return "limit=50&status=invited,deactivated&sort=status"
}

// change is what a command did, for the member list to show: the member, its changes
// counted after this one, the command's consistency token, and the check of the member
// as listed.
type change struct {
	member *benchMember
	seq    int64
	token  string
	check  func(m listedMember) bool
}

// changed answers the change that a command answering a made to m, which check tells in
// the member list.
func changed(m *benchMember, a answer, check func(listedMember) bool) change {
	return change{member: m, seq: m.changes.Add(1), token: a.token, check: check}
}

// listedMember is a member as the member list answers it.
type listedMember struct {
	Email  string       `json:"email"`
	Status string       `json:"status"`
	Role   string       `json:"role"`
	Visas  []listedVisa `json:"visas"`
}

// listedVisa is a visa as the member list answers it.
type listedVisa struct {
	CategoryID uuid.UUID `json:"category_id"`
	VisaID     uuid.UUID `json:"visa_id"`
}

// command sends one command: an invitation, an accept, a role change, a license
// deactivation or reactivation, or a visa grant, in equal shares.
func (c *mixClient) command(ctx context.Context) (change, error) {
	switch c.rng.IntN(5) {
	case 0:
		return c.invite(ctx)
	case 1:
		return c.accept(ctx)
	case 2:
		return c.changeRole(ctx)
	case 3:
		return c.toggleLicense(ctx)
	}
	return c.grantVisa(ctx)
}

// invite invites a new person as a member, with a project role half the time, and keeps
// the invitation token for accept.
func (c *mixClient) invite(ctx context.Context) (change, error) {
	id := uuid.New()
	email := id.String() + "@mix.example"
	req := map[string]any{"email": email, "first_name": "Mia", "last_name": "Mix " + email[:8], "role": "member"}
	if c.rng.IntN(2) == 0 {
		p := c.ws.projects[c.rng.IntN(len(c.ws.projects))]
		req["projects"] = []map[string]string{{"project_id": p.String(), "role": "contributor"}}
	}
	a, err := c.send(ctx, "POST", c.base+"/invitations", req, nethttp.StatusCreated, true)
	if err != nil {
		return change{}, err
	}
	var inv struct {
		AccountID uuid.UUID `json:"account_id"`
		Token     string    `json:"invitation_token"`
	}
	if err := json.Unmarshal(a.body, &inv); err != nil || inv.Token == "" {
		return change{}, fmt.Errorf("invitation answered %s: %v", a.body, err)
	}
	m := &benchMember{id: inv.AccountID, email: email, role: domain.RoleMember, visas: map[uuid.UUID]uuid.UUID{}}
	c.invited = append(c.invited, mixInvite{token: inv.Token, member: m})
	c.stats.invites++
	return changed(m, a, func(l listedMember) bool { return l.Status == "invited" }), nil
}

// accept accepts the oldest invitation this client made (or invites, when none is left),
// as the invitee does: with the invitation token alone.
func (c *mixClient) accept(ctx context.Context) (change, error) {
	if len(c.invited) == 0 {
		return c.invite(ctx)
	}
	inv := c.invited[0]
	c.invited = c.invited[1:]
	a, err := c.send(ctx, "POST", c.server+"/v1/invitations/accept", map[string]string{"token": inv.token}, nethttp.StatusOK, false)
	if err != nil {
		return change{}, err
	}
	inv.member.active = true
	c.members = append(c.members, inv.member)
	return changed(inv.member, a, func(l listedMember) bool { return l.Status == "active" }), nil
}

// changeRole gives an active member another of the roles member, viewer and manager.
func (c *mixClient) changeRole(ctx context.Context) (change, error) {
	m := c.activeMember()
	if m == nil {
		return c.toggleLicense(ctx)
	}
	roles := slices.DeleteFunc([]domain.WorkspaceRole{domain.RoleMember, domain.RoleViewer, domain.RoleManager},
		func(r domain.WorkspaceRole) bool { return r == m.role })
	role := roles[c.rng.IntN(len(roles))]
	a, err := c.send(ctx, "PUT", c.base+"/members/"+m.id.String()+"/role", map[string]string{"role": string(role)}, nethttp.StatusOK, true)
	if err != nil {
		return change{}, err
	}
	m.role = role
	return changed(m, a, func(l listedMember) bool { return l.Role == string(role) }), nil
}

// toggleLicense deactivates an active member's license, or reactivates a deactivated one.
func (c *mixClient) toggleLicense(ctx context.Context) (change, error) {
	m := c.members[c.rng.IntN(len(c.members))]
	action, status := "deactivate", "deactivated"
	if !m.active {
		action, status = "reactivate", "active"
	}
	a, err := c.send(ctx, "POST", c.base+"/members/"+m.id.String()+"/license/"+action, map[string]string{"reason": "benchmark"}, nethttp.StatusOK, true)
	if err != nil {
		return change{}, err
	}
	m.active = !m.active
	return changed(m, a, func(l listedMember) bool { return l.Status == status }), nil
}

// grantVisa grants an active member, on a category, a visa other than the one it holds.
func (c *mixClient) grantVisa(ctx context.Context) (change, error) {
	m := c.activeMember()
	if m == nil {
		return c.toggleLicense(ctx)
	}
	w := c.ws
	category := w.categories[c.rng.IntN(len(w.categories))]
	visas := slices.DeleteFunc(slices.Clone(w.visas), func(v uuid.UUID) bool { return v == m.visas[category] })
	visa := visas[c.rng.IntN(len(visas))]
	a, err := c.send(ctx, "PUT", c.base+"/members/"+m.id.String()+"/visas/"+category.String(), map[string]string{"visa_id": visa.String()}, nethttp.StatusOK, true)
	if err != nil {
		return change{}, err
	}
	m.visas[category] = visa
	return changed(m, a, func(l listedMember) bool {
		return slices.Contains(l.Visas, listedVisa{CategoryID: category, VisaID: visa})
	}), nil
}

// activeMember answers a random active member of the client's, or nil after a few
// draws of deactivated ones.
func (c *mixClient) activeMember() *benchMember {
	for range 8 {
		if m := c.members[c.rng.IntN(len(c.members))]; m.active {
			return m
		}
	}
	return nil
}
