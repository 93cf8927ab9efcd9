package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
)

// seedWorkspace appends, straight to the store, a workspace whose owner has invited n
// members who all accepted: the history the load benchmark lists and checks. It answers
// the workspace, the owner and the members' ids.
func seedWorkspace(tb testing.TB, store *postgres.Store, n int) (ws, owner uuid.UUID, members []uuid.UUID) {
	tb.Helper()
	ctx := context.Background()
	ws, owner = uuid.New(), uuid.New()
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	event := func(actor uuid.UUID, payload domain.Event) eventstore.EventData {
		data, err := json.Marshal(payload)
		if err != nil {
			tb.Fatal(err)
		}
		now = now.Add(time.Second)
		id := uuid.New()
		return eventstore.EventData{Type: payload.EventType(), Data: data, Metadata: eventstore.Metadata{
			CommandID: id, CorrelationID: id, CausationID: id, Actor: actor.String(), OccurredAt: now}}
	}
	members = make([]uuid.UUID, n)
	accounts := make([]eventstore.EventData, n+1)
	accounts[n] = event(owner, domain.AccountRegistered{AccountID: owner, Email: "owner@load.example", FirstName: "Olive", LastName: "Owner"})
	roster := []eventstore.EventData{event(owner, domain.WorkspaceCreated{WorkspaceID: ws, Name: "Load", Seats: n + 10, OwnerAccountID: owner})}
	for i := range members {
		id := uuid.New()
		members[i] = id
		accounts[i] = event(id, domain.AccountRegistered{AccountID: id, Email: fmt.Sprintf("m%06d@load.example", i),
			FirstName: fmt.Sprintf("First%d", i%997), LastName: fmt.Sprintf("Last%d", i)})
		roster = append(roster,
			event(owner, domain.MemberInvited{AccountID: id, Role: domain.RoleMember, TokenHash: domain.HashToken(id.String()), ExpiresAt: now.Add(7 * 24 * time.Hour)}),
			event(id, domain.InvitationAccepted{AccountID: id}))
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := range accounts {
		account := owner
		if i < n {
			account = members[i]
		}
		g.Go(func() error {
			_, err := store.Append(gctx, domain.AccountStream(account), eventstore.NoStream(), accounts[i])
			return err
		})
	}
	if err := g.Wait(); err != nil {
		tb.Fatal(err)
	}
	stream := domain.WorkspaceStream(ws)
	for from := 0; from < len(roster); from += eventstore.MaxEventsPerAppend {
		chunk := roster[from:min(from+eventstore.MaxEventsPerAppend, len(roster))]
		if _, err := store.Append(ctx, stream, eventstore.Exact(int64(from)), chunk...); err != nil {
			tb.Fatal(err)
		}
	}
	return ws, owner, members
}
