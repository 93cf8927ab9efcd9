package main

import (
	"context"
	"encoding/json"
	nethttp "net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
)

// TestRuleTimeIsRecordedAsEvents: what time does is in the history as events of its
// own, at the instant it happened. A visa past its end shows expired in the member's
// history with its end as the time, and an invitation left unanswered past its expiry
// frees its seat and accepts nothing, without anyone acting.
func TestRuleTimeIsRecordedAsEvents(t *testing.T) {
	url := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("EVENTSTORE_URL", "")
	t.Setenv("ACCESSLEDGER_SCHEDULER_INTERVAL", "50ms")
	s := startServe(t, "--addr", "127.0.0.1:0")
	waitReady(t, s.url) // serve listens before its read models are installed
	platform := &apiClient{t: t, base: s.url, token: platformToken(t), answers: newAnswerChecker(t, s.url)}
	past := seedPast(t, url)
	base := "/v1/workspaces/" + past.ws.String()

	expired := waitForHistory(platform, base+"/members/"+past.owner.String()+"/history", domain.TypeVisaExpired)
	if !expired.At.Equal(past.visaEnd) || expired.Actor != "system" {
		t.Fatalf("the visa expired at %s by %q; want at its end %s, by the system", expired.At, expired.Actor, past.visaEnd)
	}
	// The invitation's expiry fell due before the visa's end, but the scheduler may record
	// the two in different runs: wait for it too before relying on the freed seat.
	waitForHistory(platform, base+"/members/"+past.invitee.String()+"/history", domain.TypeInvitationExpired)
	platform.call("POST", base+"/invitations", map[string]any{"email": "next@time.example", "first_name": "N",
		"last_name": "Ext", "role": "member"}, nethttp.StatusCreated, nil)
	_, body := platform.as("").try("POST", "/v1/invitations/accept", map[string]string{"token": past.token})
	if code := problemCode(t, body); code != domain.CodeInvitationNotFound {
		t.Fatalf("accepting the expired invitation answered %s, want %s", code, domain.CodeInvitationNotFound)
	}
}

// pastWorld is a workspace made eight days ago: its one free seat went to an invitation
// nobody answered, and the owner's visa ended an hour ago.
type pastWorld struct {
	ws, owner, invitee uuid.UUID
	visaEnd            time.Time
	token              string
}

// seedPast makes the pastWorld through the app, on a clock eight days behind.
func seedPast(t *testing.T, url string) pastWorld {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	must(t, err)
	t.Cleanup(pool.Close)
	store, err := postgres.Open(ctx, pool, postgres.Options{})
	must(t, err)
	t.Cleanup(store.Close)
	var mu sync.Mutex
	then := time.Now().Add(-8 * 24 * time.Hour).UTC().Truncate(time.Millisecond)
	svc := app.New(store, app.Options{Clock: func() time.Time { mu.Lock(); defer mu.Unlock(); return then }})
	created, err := svc.CreateWorkspace(ctx, app.Meta{Actor: domain.Actor{AccountID: uuid.New(), PlatformAdmin: true}},
		app.CreateWorkspace{Name: "Then", Seats: 2, Owner: domain.RegisterAccount{Email: "owner@time.example", FirstName: "O", LastName: "Wner"}})
	must(t, err)
	w := pastWorld{ws: created.WorkspaceID, owner: created.OwnerAccountID, visaEnd: time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)}
	owner := app.Meta{Actor: domain.Actor{AccountID: w.owner}}
	category, visa := uuid.New(), uuid.New()
	_, err = svc.SetModule(ctx, owner, w.ws, domain.SetModule{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleMember})
	must(t, err)
	_, err = svc.DefineBookingCategory(ctx, owner, w.ws, domain.DefineBookingCategory{CategoryID: category, Name: "Scopes"})
	must(t, err)
	_, err = svc.DefineVisa(ctx, owner, w.ws, domain.DefineVisa{VisaID: visa, Name: "Basic"})
	must(t, err)
	_, err = svc.GrantVisa(ctx, owner, w.ws, w.owner, domain.GrantVisa{CategoryID: category, VisaID: visa, ValidUntil: &w.visaEnd})
	must(t, err)
	inv, err := svc.InviteUser(ctx, owner, w.ws, app.InviteUser{Email: "late@time.example", FirstName: "L", LastName: "Ate", Role: domain.RoleMember})
	must(t, err)
	w.token, w.invitee = inv.Token, inv.AccountID
	return w
}

// historyEntry is the part of a member history change the rule looks at.
type historyEntry struct {
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	EventType string    `json:"event_type"`
}

// waitForHistory polls a member's history until it shows an event of eventType, for at
// most half a minute (the scheduler runs every 50ms here).
func waitForHistory(c *apiClient, path, eventType string) historyEntry {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var page struct{ Items []historyEntry }
		// Read without a consistency token: until the history has the member's first
		// change, it answers 404, as the member's detail does.
		if resp, body := c.try("GET", path, nil); resp.StatusCode == nethttp.StatusOK {
			if err := json.Unmarshal(body, &page); err != nil {
				c.t.Fatalf("GET %s: %s: %v", path, body, err)
			}
		} else if resp.StatusCode != nethttp.StatusNotFound {
			c.t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, body)
		}
		for _, e := range page.Items {
			if e.EventType == eventType {
				return e
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("no %s in %s after 30s: %+v", eventType, path, page.Items)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
