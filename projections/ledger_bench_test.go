package projections_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/internal/pgtest"
	"accessledger/projections"
	"accessledger/projections/activity"
	"accessledger/projections/licenses"
	"accessledger/projections/members"
)

// ledgerBenchLog makes up a global log for the rebuild benchmark.
type ledgerBenchLog struct {
	events   []projections.Envelope
	versions map[string]int64
	now      time.Time
}

func (l *ledgerBenchLog) add(stream string, actor uuid.UUID, payload domain.Event) {
	data, err := json.Marshal(payload)
	if err != nil {
		panic(err)
	}
	l.versions[stream]++
	l.now = l.now.Add(time.Second)
	l.events = append(l.events, projections.Envelope{Event: eventstore.Event{ID: uuid.New(), Stream: stream, Version: l.versions[stream],
		Position: eventstore.NewPosition(1, uint64(len(l.events)+1)), Type: payload.EventType(), SchemaVersion: 1, Data: data,
		Metadata: eventstore.Metadata{Actor: actor.String(), OccurredAt: l.now}, RecordedAt: l.now}, Payload: payload})
}

// ledgerBenchEvents makes workspaces whose members register, join, get grants, change
// role, get suspended and reinstated, and change their profile: 10 events per member.
func ledgerBenchEvents(workspaces, members int) []projections.Envelope {
	l := &ledgerBenchLog{versions: map[string]int64{}, now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for range workspaces {
		ws, owner, p, cat, visa := uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New()
		wsStream := domain.WorkspaceStream(ws)
		l.add(domain.AccountStream(owner), owner, domain.AccountRegistered{AccountID: owner, Email: owner.String() + "@example.com", FirstName: "O", LastName: "W"})
		l.add(wsStream, owner, domain.WorkspaceCreated{WorkspaceID: ws, Name: "W", Seats: members + 1, OwnerAccountID: owner})
		l.add(wsStream, owner, domain.ProjectCreated{ProjectID: p, Name: "P"})
		l.add(wsStream, owner, domain.BookingCategoryDefined{CategoryID: cat, Name: "C"})
		l.add(wsStream, owner, domain.VisaDefined{VisaID: visa, Name: "V"})
		for i := range members {
			id := uuid.New()
			l.add(domain.AccountStream(id), id, domain.AccountRegistered{AccountID: id, Email: fmt.Sprintf("m%d-%s@example.com", i, id), FirstName: "F", LastName: "L"})
			l.add(wsStream, owner, domain.MemberInvited{AccountID: id, Role: domain.RoleMember, TokenHash: domain.HashToken(id.String()), ExpiresAt: l.now.Add(time.Hour)})
			l.add(wsStream, id, domain.InvitationAccepted{AccountID: id})
			l.add(domain.MemberStream(ws, id), owner, domain.ProjectRoleAssigned{WorkspaceID: ws, AccountID: id, ProjectID: p, Role: domain.ProjectContributor})
			l.add(domain.MemberStream(ws, id), owner, domain.VisaGranted{WorkspaceID: ws, AccountID: id, CategoryID: cat, VisaID: visa})
			l.add(wsStream, owner, domain.RoleChanged{AccountID: id, From: domain.RoleMember, To: domain.RoleViewer})
			l.add(wsStream, owner, domain.MemberSuspended{AccountID: id, Reason: "r"})
			l.add(wsStream, owner, domain.MemberReinstated{AccountID: id})
			l.add(domain.AccountStream(id), id, domain.ProfileChanged{AccountID: id, FirstName: "G", LastName: "M"})
			l.add(domain.MemberStream(ws, id), owner, domain.ClientLinked{WorkspaceID: ws, AccountID: id, ClientID: p})
		}
	}
	return l.events
}

// BenchmarkLedgerRebuild rebuilds each of the members, licenses and activity read models
// from 20,000 events in batches of 1,000, as the runtime does when catching up, and
// reports events per second.
func BenchmarkLedgerRebuild(b *testing.B) {
	events := ledgerBenchEvents(20, 100)
	for _, p := range []projections.Projection{members.Members{}, licenses.Licenses{}, activity.Activity{}} {
		b.Run(p.Name(), func(b *testing.B) {
			ctx := context.Background()
			pool := pgtest.NewPool(b)
			var elapsed time.Duration
			for i := range b.N {
				b.StopTimer()
				p := &ledgerRenamed{Projection: p, suffix: fmt.Sprint(i)}
				schema, err := projections.InstallForTest(ctx, pool, p)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				for from := 0; from < len(events); from += 1000 {
					if err := projections.ApplyForTest(ctx, pool, p, schema, events[from:min(from+1000, len(events))]); err != nil {
						b.Fatal(err)
					}
				}
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(len(events)*b.N)/elapsed.Seconds(), "events/s")
		})
	}
}

// ledgerRenamed installs a projection under another name, so that a benchmark can build
// it again in the same database.
type ledgerRenamed struct {
	projections.Projection
	suffix string
}

func (r *ledgerRenamed) Name() string { return r.Projection.Name() + r.suffix }
