package domain

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestLinkAndUnlinkClients(t *testing.T) {
	link := func(client uuid.UUID) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
		return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.LinkClient(ws, by, LinkClient{ClientID: client}, now)
		}
	}
	unlink := func(client uuid.UUID) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
		return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.UnlinkClient(ws, by, UnlinkClient{ClientID: client}, now)
		}
	}
	world := accessWorld()
	retired := slices.Concat(world, []Event{ClientRetired{ClientID: clientID}})
	runAccess(t, []accessCase{
		{name: "linked", roster: world, by: byAdmin, when: link(clientID), then: linked(clientID)},
		{name: "linked again changes nothing", roster: world, given: linked(clientID), by: byAdmin, when: link(clientID)},
		{name: "linked to a retired client", roster: retired, by: byAdmin, when: link(clientID), err: CodeValidationFailed},
		{name: "linked to an unknown client", roster: world, by: byAdmin, when: link(named("nobody")), err: CodeValidationFailed},
		{name: "linked without a client", roster: world, by: byAdmin, when: link(uuid.Nil), err: CodeValidationFailed},
		{name: "unlinked", roster: world, given: linked(clientID), by: byAdmin, when: unlink(clientID),
			then: []Event{ClientUnlinked{WorkspaceID: wsID, AccountID: targetID, ClientID: clientID}}},
		{name: "unlinked from a retired client", roster: retired, given: linked(clientID), by: byAdmin, when: unlink(clientID),
			then: []Event{ClientUnlinked{WorkspaceID: wsID, AccountID: targetID, ClientID: clientID}}},
		{name: "not linked changes nothing", roster: world, by: byAdmin, when: unlink(clientID)},
	})
}

func TestClientsFold(t *testing.T) {
	client2ID := named("client 2")
	m := replayAccess(targetID, slices.Concat(linked(client2ID), linked(clientID),
		[]Event{ClientUnlinked{WorkspaceID: wsID, AccountID: targetID, ClientID: client2ID}}))
	if got := m.Clients(); !slices.Equal(got, []uuid.UUID{clientID}) {
		t.Fatalf("clients %v", got)
	}
}
