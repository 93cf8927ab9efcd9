package projectiontest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
)

// World writes realistic event histories for the authorization read models' tests:
// a workspace created by the platform, accounts registered before they are invited, each
// event one minute after the previous one.
type World struct {
	G      *Given
	WS     uuid.UUID
	Owner  uuid.UUID
	Events []projections.Envelope
	Step   time.Duration
}

// NewWorld creates a workspace with its owner (account registered first), by the
// system; the events after it are by the owner.
func NewWorld(g *Given) *World {
	w := &World{G: g, WS: uuid.New(), Owner: uuid.New(), Step: time.Minute}
	w.Account(w.Owner)
	w.WsEvent(domain.WorkspaceCreated{WorkspaceID: w.WS, Name: "Lab", Seats: 50, OwnerAccountID: w.Owner})
	g.By(w.Owner)
	return w
}

// Tick answers the time of the next event and moves the clock.
func (w *World) Tick() time.Time {
	w.G.Now = w.G.Now.Add(w.Step)
	return w.G.Now
}

// Now answers the time of the last event.
func (w *World) Now() time.Time { return w.G.Now }

// Add appends payload to stream one tick after the last event, and answers its envelope.
func (w *World) Add(stream string, payload domain.Event) *projections.Envelope {
	w.Tick()
	w.Events = append(w.Events, w.G.Event(stream, payload))
	return &w.Events[len(w.Events)-1]
}

// WsEvent appends an event to the workspace stream.
func (w *World) WsEvent(payload domain.Event) *projections.Envelope {
	return w.Add(domain.WorkspaceStream(w.WS), payload)
}

// Access appends an event to an account's member stream.
func (w *World) Access(account uuid.UUID, payload domain.Event) *projections.Envelope {
	return w.Add(domain.MemberStream(w.WS, account), payload)
}

// Account registers an account, as the app does before inviting it.
func (w *World) Account(id uuid.UUID) {
	w.Add(domain.AccountStream(id), domain.AccountRegistered{AccountID: id, Email: fmt.Sprintf("%s@example.com", id),
		FirstName: "Ada", LastName: "Lovelace"})
}

// Join registers, invites and accepts a new account with role, and answers its id.
func (w *World) Join(role domain.WorkspaceRole) uuid.UUID {
	id := uuid.New()
	w.Account(id)
	w.WsEvent(domain.MemberInvited{AccountID: id, Role: role, TokenHash: fmt.Sprintf("%064x", 1), ExpiresAt: w.Now().Add(7 * 24 * time.Hour)})
	w.G.By(id)
	w.WsEvent(domain.InvitationAccepted{AccountID: id})
	w.G.By(w.Owner)
	return id
}

// Module sets a module.
func (w *World) Module(key string, enabled bool, min domain.WorkspaceRole) {
	w.WsEvent(domain.ModuleSet{Module: key, Enabled: enabled, MinRole: min})
}

// Category defines a booking category and answers its id.
func (w *World) Category(name string) uuid.UUID {
	id := uuid.New()
	w.WsEvent(domain.BookingCategoryDefined{CategoryID: id, Name: name})
	return id
}

// Visa defines a visa and answers its id.
func (w *World) Visa(name string) uuid.UUID {
	id := uuid.New()
	w.WsEvent(domain.VisaDefined{VisaID: id, Name: name})
	return id
}

// Project creates a project and answers its id.
func (w *World) Project(name string) uuid.UUID {
	id := uuid.New()
	w.WsEvent(domain.ProjectCreated{ProjectID: id, Name: name})
	return id
}

// Client registers a client and answers its id.
func (w *World) Client(name string) uuid.UUID {
	id := uuid.New()
	w.WsEvent(domain.ClientRegistered{ClientID: id, Name: name})
	return id
}

// GrantVisa grants a visa, until valid if not nil.
func (w *World) GrantVisa(account, category, visa uuid.UUID, until *time.Time) *projections.Envelope {
	return w.Access(account, domain.VisaGranted{WorkspaceID: w.WS, AccountID: account, CategoryID: category, VisaID: visa, ValidUntil: until})
}

// Apply applies every event written so far to g, in batches of size.
func (w *World) Apply(size int) { w.G.Apply(size, w.Events...) }

// ReplayInto applies every event written so far to a fresh fixture of the same projection,
// in batches of size, and answers it.
func (w *World) ReplayInto(t *testing.T, size int) *Given {
	t.Helper()
	other := NewGiven(t, w.G.P)
	other.Apply(size, w.Events...)
	return other
}

// Ptr answers a pointer to t.
func Ptr(t time.Time) *time.Time { return &t }

// Dump answers every row of a read model table, read through its rm view, as text
// in a stable order, leaving out the columns in skip (such as generated ids).
func Dump(t *testing.T, g *Given, table string, skip ...string) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := g.Pool.Query(ctx, "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position", projections.ReadSchema, table)
	if err != nil {
		t.Fatal(err)
	}
	columns, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, c := range columns {
		if !slices.Contains(skip, c) {
			kept = append(kept, pgx.Identifier{c}.Sanitize())
		}
	}
	sql := fmt.Sprintf("SELECT row(%s)::text FROM %s ORDER BY 1", strings.Join(kept, ", "), projections.Qualified(projections.ReadSchema, table))
	rows, err = g.Pool.Query(ctx, sql)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}
