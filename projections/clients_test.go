package projections

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

func TestClientLinksSameTablesWhateverTheBatchSize(t *testing.T) {
	t.Parallel()
	s := newAuthzScenario(newGiven(t, ClientLinks{}))
	s.apply(1)
	ctx := context.Background()
	for _, size := range []int{0, 4, -3} {
		other := s.replayInto(t, size)
		authzSameTables(t, s.g, other)
		for _, m := range []uuid.UUID{s.owner, s.alice, s.bob, s.carol, s.dave, s.erin, s.gina} {
			want, err := ListClientLinks(ctx, s.g.pool, s.ws, m)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := ListClientLinks(ctx, other.pool, s.ws, m)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("size %d, member %s: %+v, one by one %+v", size, m, got, want)
			}
		}
		for _, c := range []uuid.UUID{s.acme, s.initech} {
			want, err := MembersOfClient(ctx, s.g.pool, s.ws, c)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := MembersOfClient(ctx, other.pool, s.ws, c)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("size %d, client %s: %+v, one by one %+v", size, c, got, want)
			}
		}
	}
}

func TestClientLinksQueries(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		w := newAuthzWorld(newGiven(t, ClientLinks{}))
		acme, zeta := w.client("Acme"), w.client("Zeta")
		bob, carol := w.join(domain.RoleMember), w.join(domain.RoleMember)
		linked := w.access(bob, domain.ClientLinked{WorkspaceID: w.ws, AccountID: bob, ClientID: zeta})
		w.access(bob, domain.ClientLinked{WorkspaceID: w.ws, AccountID: bob, ClientID: acme})
		w.access(carol, domain.ClientLinked{WorkspaceID: w.ws, AccountID: carol, ClientID: acme})
		w.access(carol, domain.ClientLinked{WorkspaceID: w.ws, AccountID: carol, ClientID: zeta})
		w.access(carol, domain.ClientUnlinked{WorkspaceID: w.ws, AccountID: carol, ClientID: zeta})
		w.wsEvent(domain.ClientRetired{ClientID: zeta})
		w.apply(size)
		ctx := context.Background()

		links, err := ListClientLinks(ctx, w.g.pool, w.ws, bob)
		if err != nil {
			t.Fatal(err)
		}
		want := []ClientLink{
			{WorkspaceID: w.ws, AccountID: bob, ClientID: acme, ClientName: "Acme", LinkedAt: linked.Metadata.OccurredAt.Add(time.Minute), LinkedBy: w.owner.String()},
			{WorkspaceID: w.ws, AccountID: bob, ClientID: zeta, ClientName: "Zeta", ClientRetired: true, LinkedAt: linked.Metadata.OccurredAt, LinkedBy: w.owner.String()},
		}
		if !reflect.DeepEqual(links, want) {
			t.Errorf("size %d: bob's links %+v, want %+v", size, links, want)
		}
		members, err := MembersOfClient(ctx, w.g.pool, w.ws, zeta)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != 1 || members[0].AccountID != bob {
			t.Errorf("size %d: members of zeta %+v, want bob only", size, members)
		}
		members, _ = MembersOfClient(ctx, w.g.pool, w.ws, acme)
		if len(members) != 2 {
			t.Errorf("size %d: members of acme %+v, want bob and carol", size, members)
		}
		if none, _ := MembersOfClient(ctx, w.g.pool, w.ws, uuid.New()); len(none) != 0 {
			t.Errorf("size %d: an unknown client has members: %+v", size, none)
		}
	}
}

func TestClientLinksGrantsCleared(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1} {
		w := newAuthzWorld(newGiven(t, ClientLinks{}))
		acme := w.client("Acme")
		gina := uuid.New()
		w.account(gina)
		w.wsEvent(domain.MemberInvited{AccountID: gina, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: w.now().Add(time.Hour)})
		w.access(gina, domain.ClientLinked{WorkspaceID: w.ws, AccountID: gina, ClientID: acme})
		w.wsEvent(domain.InvitationRevoked{AccountID: gina})
		if size == 1 {
			w.apply(0) // the link is stored before the clear arrives
			w.events = nil
		}
		w.access(gina, domain.GrantsCleared{WorkspaceID: w.ws, AccountID: gina})
		w.apply(0)
		if got, _ := ListClientLinks(context.Background(), w.g.pool, w.ws, gina); len(got) != 0 {
			t.Errorf("size %d: cleared links still listed: %+v", size, got)
		}
	}
}
