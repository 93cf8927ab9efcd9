package clients

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections/projectiontest"
)

func TestClientLinksQueries(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		w := projectiontest.NewWorld(projectiontest.NewGiven(t, ClientLinks{}))
		acme, zeta := w.Client("Acme"), w.Client("Zeta")
		bob, carol := w.Join(domain.RoleMember), w.Join(domain.RoleMember)
		linked := w.Access(bob, domain.ClientLinked{WorkspaceID: w.WS, AccountID: bob, ClientID: zeta})
		w.Access(bob, domain.ClientLinked{WorkspaceID: w.WS, AccountID: bob, ClientID: acme})
		w.Access(carol, domain.ClientLinked{WorkspaceID: w.WS, AccountID: carol, ClientID: acme})
		w.Access(carol, domain.ClientLinked{WorkspaceID: w.WS, AccountID: carol, ClientID: zeta})
		w.Access(carol, domain.ClientUnlinked{WorkspaceID: w.WS, AccountID: carol, ClientID: zeta})
		w.WsEvent(domain.ClientRetired{ClientID: zeta})
		w.Apply(size)
		ctx := context.Background()

		links, err := ListClientLinks(ctx, w.G.Pool, w.WS, bob)
		if err != nil {
			t.Fatal(err)
		}
		want := []ClientLink{
			{WorkspaceID: w.WS, AccountID: bob, ClientID: acme, ClientName: "Acme", LinkedAt: linked.Metadata.OccurredAt.Add(time.Minute), LinkedBy: w.Owner.String()},
			{WorkspaceID: w.WS, AccountID: bob, ClientID: zeta, ClientName: "Zeta", ClientRetired: true, LinkedAt: linked.Metadata.OccurredAt, LinkedBy: w.Owner.String()},
		}
		if !reflect.DeepEqual(links, want) {
			t.Errorf("size %d: bob's links %+v, want %+v", size, links, want)
		}
		members, err := MembersOfClient(ctx, w.G.Pool, w.WS, zeta)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != 1 || members[0].AccountID != bob {
			t.Errorf("size %d: members of zeta %+v, want bob only", size, members)
		}
		members, _ = MembersOfClient(ctx, w.G.Pool, w.WS, acme)
		if len(members) != 2 {
			t.Errorf("size %d: members of acme %+v, want bob and carol", size, members)
		}
		if none, _ := MembersOfClient(ctx, w.G.Pool, w.WS, uuid.New()); len(none) != 0 {
			t.Errorf("size %d: an unknown client has members: %+v", size, none)
		}
	}
}

func TestClientLinksGrantsCleared(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		w := projectiontest.NewWorld(projectiontest.NewGiven(t, ClientLinks{}))
		acme := w.Client("Acme")
		gina := uuid.New()
		w.Account(gina)
		w.WsEvent(domain.MemberInvited{AccountID: gina, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: w.Now().Add(time.Hour)})
		w.Access(gina, domain.ClientLinked{WorkspaceID: w.WS, AccountID: gina, ClientID: acme})
		w.WsEvent(domain.InvitationRevoked{AccountID: gina})
		if size == 1 {
			w.Apply(0) // the link is stored before the clear arrives
			w.Events = nil
		}
		w.Access(gina, domain.GrantsCleared{WorkspaceID: w.WS, AccountID: gina})
		w.Apply(0)
		if got, _ := ListClientLinks(context.Background(), w.G.Pool, w.WS, gina); len(got) != 0 {
			t.Errorf("size %d: cleared links still listed: %+v", size, got)
		}
	}
}
