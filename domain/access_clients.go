package domain

import (
	"time"

	"github.com/google/uuid"
)

// LinkClient links the member to a client account.
type LinkClient struct {
	ClientID uuid.UUID
}

// LinkClient links the member to a client that exists and is not retired; admins and
// above. An existing link changes nothing.
func (m *MemberAccess) LinkClient(ws *Workspace, by Actor, cmd LinkClient, now time.Time) ([]Event, error) {
	if err := requireClient(cmd.ClientID); err != nil {
		return nil, err
	}
	if err := m.authorize(ws, by, "link clients"); err != nil {
		return nil, err
	}
	if err := ws.requireGrantable(catalogRef{clientCatalog, cmd.ClientID}); err != nil {
		return nil, err
	}
	if m.clients[cmd.ClientID] {
		return nil, nil
	}
	return []Event{ClientLinked{WorkspaceID: m.workspaceID, AccountID: m.accountID, ClientID: cmd.ClientID}}, nil
}

// UnlinkClient removes the member's link to a client account.
type UnlinkClient struct {
	ClientID uuid.UUID
}

// UnlinkClient removes a link, to a retired client or not; admins and above. No link
// changes nothing.
func (m *MemberAccess) UnlinkClient(ws *Workspace, by Actor, cmd UnlinkClient, now time.Time) ([]Event, error) {
	if err := requireClient(cmd.ClientID); err != nil {
		return nil, err
	}
	if err := m.authorize(ws, by, "unlink clients"); err != nil {
		return nil, err
	}
	if !m.clients[cmd.ClientID] {
		return nil, nil
	}
	return []Event{ClientUnlinked{WorkspaceID: m.workspaceID, AccountID: m.accountID, ClientID: cmd.ClientID}}, nil
}

func requireClient(id uuid.UUID) error {
	var v validator
	v.id("client_id", id)
	return v.err()
}
