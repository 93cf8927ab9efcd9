package access_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/internal/pgtest"
	"accessledger/projections"
	"accessledger/projections/access"
	"accessledger/projections/booking"
	"accessledger/projections/clients"
	"accessledger/projections/history"
)

// authzLog builds a synthetic but realistic log for benchmarks: one workspace with n
// members, each registered, invited, accepted, and granted a project role, a visa, a client
// link, permission overrides and a scope; every tenth later suspended.
type authzLog struct {
	ws                          uuid.UUID
	members                     []uuid.UUID
	project, category, visa, cl uuid.UUID
	events                      []projections.Envelope
	versions                    map[string]int64
	now                         time.Time
}

func newAuthzLog(tb testing.TB, n int) *authzLog {
	l := &authzLog{ws: uuid.New(), project: uuid.New(), category: uuid.New(), visa: uuid.New(), cl: uuid.New(),
		versions: map[string]int64{}, now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	owner := uuid.New()
	wsStream := domain.WorkspaceStream(l.ws)
	l.add(tb, domain.AccountStream(owner), domain.AccountRegistered{AccountID: owner, Email: "owner@example.com", FirstName: "O", LastName: "W"})
	l.add(tb, wsStream, domain.WorkspaceCreated{WorkspaceID: l.ws, Name: "Bench", Seats: n + 1, OwnerAccountID: owner})
	l.add(tb, wsStream, domain.ModuleSet{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleMember})
	l.add(tb, wsStream, domain.ProjectCreated{ProjectID: l.project, Name: "P"})
	l.add(tb, wsStream, domain.BookingCategoryDefined{CategoryID: l.category, Name: "C"})
	l.add(tb, wsStream, domain.VisaDefined{VisaID: l.visa, Name: "V"})
	l.add(tb, wsStream, domain.ClientRegistered{ClientID: l.cl, Name: "K"})
	for i := range n {
		id := uuid.New()
		l.members = append(l.members, id)
		member := domain.MemberStream(l.ws, id)
		l.add(tb, domain.AccountStream(id), domain.AccountRegistered{AccountID: id, Email: fmt.Sprintf("m%d@example.com", i), FirstName: "M", LastName: "N"})
		l.add(tb, wsStream, domain.MemberInvited{AccountID: id, Role: domain.RoleMember, TokenHash: "ab", ExpiresAt: l.now.Add(time.Hour)})
		l.add(tb, wsStream, domain.InvitationAccepted{AccountID: id})
		l.add(tb, member, domain.ProjectRoleAssigned{WorkspaceID: l.ws, AccountID: id, ProjectID: l.project, Role: domain.ProjectContributor})
		l.add(tb, member, domain.VisaGranted{WorkspaceID: l.ws, AccountID: id, CategoryID: l.category, VisaID: l.visa})
		l.add(tb, member, domain.ClientLinked{WorkspaceID: l.ws, AccountID: id, ClientID: l.cl})
		l.add(tb, member, domain.PermissionsSet{WorkspaceID: l.ws, AccountID: id, Grant: []string{"reports.export"}, Deny: []string{"billing.invoices"}})
		l.add(tb, member, domain.ScopeSet{WorkspaceID: l.ws, AccountID: id, Scope: "company:acme", Level: domain.ScopeRead})
		if i%10 == 0 {
			l.add(tb, wsStream, domain.MemberSuspended{AccountID: id, Reason: "bench"})
		}
	}
	return l
}

func (l *authzLog) add(tb testing.TB, stream string, payload domain.Event) {
	data, err := json.Marshal(payload)
	if err != nil {
		tb.Fatal(err)
	}
	l.now = l.now.Add(time.Second)
	l.versions[stream]++
	l.events = append(l.events, projections.Envelope{Event: eventstore.Event{ID: uuid.New(), Stream: stream, Version: l.versions[stream],
		Position: eventstore.NewPosition(1, uint64(len(l.events)+1)), Type: payload.EventType(), SchemaVersion: 1, Data: data,
		Metadata: eventstore.Metadata{Actor: "system", OccurredAt: l.now, CommandID: uuid.New()}, RecordedAt: l.now}, Payload: payload})
}

// install applies the log to a fresh generation of p in batches of size.
func (l *authzLog) install(tb testing.TB, pool *pgxpool.Pool, p projections.Projection, size int) time.Duration {
	ctx := context.Background()
	schema, err := projections.InstallForTest(ctx, pool, p)
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	for i := 0; i < len(l.events); i += size {
		if err := projections.ApplyForTest(ctx, pool, p, schema, l.events[i:min(i+size, len(l.events))]); err != nil {
			tb.Fatal(err)
		}
	}
	return time.Since(start)
}

// BenchmarkCheckAccess measures one access check through a pool against 10,000 members,
// next to a SELECT 1 through the same pool: the difference is what the check costs beyond
// a round trip.
func BenchmarkCheckAccess(b *testing.B) {
	pool := pgtest.NewPool(b)
	l := newAuthzLog(b, 10_000)
	l.install(b, pool, access.AccessCheck{}, 1000)
	ctx := context.Background()
	now := l.now
	b.Run("select_1", func(b *testing.B) {
		var one int
		for b.Loop() {
			if err := pool.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
				b.Fatal(err)
			}
		}
	})
	actions := []string{"login", "module:booking", "book:" + l.category.String(), "project:" + l.project.String() + ":viewer",
		"feature:reports.export", "feature:other", "scope:company:acme:write"}
	b.Run("check_access", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			if _, err := access.CheckAccess(ctx, pool, l.ws, l.members[i%len(l.members)], actions[i%len(actions)], now); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAuthzRebuild measures a full build of each authorization read model from a
// log of about 72,000 events in batches of 1,000, and reports events per second.
func BenchmarkAuthzRebuild(b *testing.B) {
	l := newAuthzLog(b, 10_000)
	for _, p := range []projections.Projection{history.History{}, booking.Booking{}, clients.ClientLinks{}, access.AccessCheck{}} {
		b.Run(p.Name(), func(b *testing.B) {
			var total time.Duration
			for b.Loop() {
				pool := pgtest.NewPool(b)
				total += l.install(b, pool, p, 1000)
			}
			b.ReportMetric(float64(len(l.events))*float64(b.N)/total.Seconds(), "events/s")
		})
	}
}
