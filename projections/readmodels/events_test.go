package readmodels_test

import (
	"context"
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

// TestIgnoredEventsWriteNothing applies an event of each type a read model ignores, on a
// workspace's, a member's and an account's stream, to its empty tables: none adds a row.
func TestIgnoredEventsWriteNothing(t *testing.T) {
	for _, p := range readmodels.All() {
		user, ok := p.(projections.EventUser)
		if !ok {
			continue // reported by TestEveryEventTypeIsHandledOrIgnored
		}
		t.Run(p.Name(), func(t *testing.T) {
			t.Parallel()
			g := projectiontest.NewGiven(t, p)
			ws, account := uuid.New(), uuid.New()
			streams := []string{domain.WorkspaceStream(ws), domain.MemberStream(ws, account), domain.AccountStream(account)}
			for _, typ := range user.Events().Ignored {
				event, err := domain.DecodeEvent(typ, []byte("{}"))
				if err != nil {
					t.Fatalf("%s: %v", typ, err)
				}
				before := rowsIn(t, g)
				for _, stream := range streams {
					g.Apply(0, g.Event(stream, event))
				}
				if n := rowsIn(t, g) - before; n > 0 {
					t.Errorf("%s, declared ignored, wrote %d rows", typ, n)
				}
			}
		})
	}
}

// rowsIn counts the rows of every table of g's read model.
func rowsIn(t *testing.T, g *projectiontest.Given) int64 {
	t.Helper()
	var total int64
	for _, table := range g.P.Tables() {
		var n int64
		if err := g.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+projections.Qualified(g.Schema, table)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		total += n
	}
	return total
}
