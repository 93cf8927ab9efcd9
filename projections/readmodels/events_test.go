package readmodels_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/internal/pgtest"
	"accessledger/projections"
	"accessledger/projections/projectiontest"
	"accessledger/projections/readmodels"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestEveryEventTypeIsHandledOrIgnored: each read model puts every event type the domain
// declares in exactly one of its lists, and names no other.
func TestEveryEventTypeIsHandledOrIgnored(t *testing.T) {
	declared := map[string]bool{}
	for _, typ := range domain.EventTypes() {
		declared[typ] = true
	}
	for _, p := range readmodels.All() {
		user, ok := p.(projections.EventUser)
		if !ok {
			t.Errorf("%s declares no EventUse", p.Name())
			continue
		}
		use := user.Events()
		seen := map[string]string{}
		for list, types := range map[string][]string{"handled": use.Handled, "ignored": use.Ignored} {
			for _, typ := range types {
				if !declared[typ] {
					t.Errorf("%s: %s %q, which the domain does not declare", p.Name(), list, typ)
				}
				if other, dup := seen[typ]; dup {
					t.Errorf("%s: %q is both %s and %s", p.Name(), typ, other, list)
				}
				seen[typ] = list
			}
		}
		for typ := range declared {
			if _, ok := seen[typ]; !ok {
				t.Errorf("%s: %q is neither handled nor ignored", p.Name(), typ)
			}
		}
	}
}

// TestIgnoredEventsWriteNothing applies an event of each type a read model ignores to a
// workspace it holds, about an account new to it, on each stream of the kinds the domain
// appends that type to: no table of the read model changes.
func TestIgnoredEventsWriteNothing(t *testing.T) {
	for _, p := range readmodels.All() {
		user, ok := p.(projections.EventUser)
		if !ok {
			continue // reported by TestEveryEventTypeIsHandledOrIgnored
		}
		t.Run(p.Name(), func(t *testing.T) {
			t.Parallel()
			g := projectiontest.NewGiven(t, p)
			ws := uuid.New()
			g.Apply(0, g.Event(domain.WorkspaceStream(ws), domain.WorkspaceCreated{WorkspaceID: ws, Name: "Lab", Seats: 10, OwnerAccountID: uuid.New()}))
			for _, typ := range user.Events().Ignored {
				account := uuid.New()
				event := eventAbout(t, typ, ws, account)
				before := tablesOf(t, g)
				for _, stream := range streamsOf(t, typ, ws, account) {
					g.Apply(0, g.Event(stream, event))
				}
				if after := tablesOf(t, g); !slices.Equal(after, before) {
					t.Errorf("%s, declared ignored, changed the tables:\n%v\nto\n%v", typ, before, after)
				}
			}
		})
	}
}

// streamsOf answers a stream of each kind that events of type typ go to, about ws and
// account.
func streamsOf(t *testing.T, typ string, ws, account uuid.UUID) []string {
	t.Helper()
	var streams []string
	for _, kind := range domain.StreamKindsOf(typ) {
		switch kind {
		case domain.StreamKindWorkspace:
			streams = append(streams, domain.WorkspaceStream(ws))
		case domain.StreamKindMember:
			streams = append(streams, domain.MemberStream(ws, account))
		case domain.StreamKindAccount:
			streams = append(streams, domain.AccountStream(account))
		case domain.StreamKindEmailClaim:
			streams = append(streams, domain.EmailClaimStream(account.String()+"@example.com"))
		case domain.StreamKindLoginClaim:
			streams = append(streams, domain.LoginClaimStream("login-"+account.String()))
		default:
			t.Fatalf("%s goes to streams of kind %q, which this test does not know", typ, kind)
		}
	}
	return streams
}

// eventAbout answers an event of type typ naming workspace ws and account, as far as the
// type has fields for them.
func eventAbout(t *testing.T, typ string, ws, account uuid.UUID) domain.Event {
	t.Helper()
	for _, data := range []string{
		fmt.Sprintf(`{"workspace_id":%q,"account_id":%q}`, ws, account),
		fmt.Sprintf(`{"account_id":%q}`, account),
		fmt.Sprintf(`{"workspace_id":%q}`, ws),
		`{}`,
	} {
		if event, err := domain.DecodeEvent(typ, []byte(data)); err == nil {
			return event
		}
	}
	t.Fatalf("%s: no event decodes", typ)
	return nil
}

// tablesOf answers every row of every table of g's read model.
func tablesOf(t *testing.T, g *projectiontest.Given) []string {
	t.Helper()
	var rows []string
	for _, table := range g.P.Tables() {
		for _, row := range projectiontest.Dump(t, g, table) {
			rows = append(rows, table+" "+row)
		}
	}
	return rows
}
