package projections

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
)

// authzWorld writes realistic event histories for the authorization read models' tests:
// a workspace created by the platform, accounts registered before they are invited, each
// event one minute after the previous one.
type authzWorld struct {
	g      *given
	ws     uuid.UUID
	owner  uuid.UUID
	events []Envelope
	step   time.Duration
}

// newAuthzWorld creates a workspace with its owner (account registered first), by the
// system; the events after it are by the owner.
func newAuthzWorld(g *given) *authzWorld {
	w := &authzWorld{g: g, ws: uuid.New(), owner: uuid.New(), step: time.Minute}
	w.account(w.owner)
	w.wsEvent(domain.WorkspaceCreated{WorkspaceID: w.ws, Name: "Lab", Seats: 50, OwnerAccountID: w.owner})
	g.by(w.owner)
	return w
}

// tick answers the time of the next event and moves the clock.
func (w *authzWorld) tick() time.Time {
	w.g.now = w.g.now.Add(w.step)
	return w.g.now
}

// now answers the time of the last event.
func (w *authzWorld) now() time.Time { return w.g.now }

func (w *authzWorld) add(stream string, payload domain.Event) *Envelope {
	w.tick()
	w.events = append(w.events, w.g.event(stream, payload))
	return &w.events[len(w.events)-1]
}

// wsEvent appends an event to the workspace stream.
func (w *authzWorld) wsEvent(payload domain.Event) *Envelope {
	return w.add(domain.WorkspaceStream(w.ws), payload)
}

// access appends an event to an account's member stream.
func (w *authzWorld) access(account uuid.UUID, payload domain.Event) *Envelope {
	return w.add(domain.MemberStream(w.ws, account), payload)
}

// account registers an account, as the app does before inviting it.
func (w *authzWorld) account(id uuid.UUID) {
	w.add(domain.AccountStream(id), domain.AccountRegistered{AccountID: id, Email: fmt.Sprintf("%s@example.com", id),
		FirstName: "Ada", LastName: "Lovelace"})
}

// join registers, invites and accepts a new account with role, and answers its id.
func (w *authzWorld) join(role domain.WorkspaceRole) uuid.UUID {
	id := uuid.New()
	w.account(id)
	w.wsEvent(domain.MemberInvited{AccountID: id, Role: role, TokenHash: fmt.Sprintf("%064x", 1), ExpiresAt: w.now().Add(7 * 24 * time.Hour)})
	w.g.by(id)
	w.wsEvent(domain.InvitationAccepted{AccountID: id})
	w.g.by(w.owner)
	return id
}

// module sets a module.
func (w *authzWorld) module(key string, enabled bool, min domain.WorkspaceRole) {
	w.wsEvent(domain.ModuleSet{Module: key, Enabled: enabled, MinRole: min})
}

// category defines a booking category and answers its id.
func (w *authzWorld) category(name string) uuid.UUID {
	id := uuid.New()
	w.wsEvent(domain.BookingCategoryDefined{CategoryID: id, Name: name})
	return id
}

// visa defines a visa and answers its id.
func (w *authzWorld) visa(name string) uuid.UUID {
	id := uuid.New()
	w.wsEvent(domain.VisaDefined{VisaID: id, Name: name})
	return id
}

// project creates a project and answers its id.
func (w *authzWorld) project(name string) uuid.UUID {
	id := uuid.New()
	w.wsEvent(domain.ProjectCreated{ProjectID: id, Name: name})
	return id
}

// client registers a client and answers its id.
func (w *authzWorld) client(name string) uuid.UUID {
	id := uuid.New()
	w.wsEvent(domain.ClientRegistered{ClientID: id, Name: name})
	return id
}

// grantVisa grants a visa, until valid if not nil.
func (w *authzWorld) grantVisa(account, category, visa uuid.UUID, until *time.Time) *Envelope {
	return w.access(account, domain.VisaGranted{WorkspaceID: w.ws, AccountID: account, CategoryID: category, VisaID: visa, ValidUntil: until})
}

// apply applies every event written so far to g, in batches of size.
func (w *authzWorld) apply(size int) { w.g.apply(size, w.events...) }

// replayInto applies every event written so far to a fresh fixture of the same projection,
// in batches of size, and answers it.
func (w *authzWorld) replayInto(t *testing.T, size int) *given {
	t.Helper()
	other := newGiven(t, w.g.p)
	other.apply(size, w.events...)
	return other
}

// authzPtr answers a pointer to t.
func authzPtr(t time.Time) *time.Time { return &t }

// authzDump answers every row of a read model table, read through its rm view, as text
// in a stable order, leaving out the columns in skip (such as generated ids).
func authzDump(t *testing.T, g *given, table string, skip ...string) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := g.pool.Query(ctx, "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position", ReadSchema, table)
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
	sql := fmt.Sprintf("SELECT row(%s)::text FROM %s ORDER BY 1", strings.Join(kept, ", "), Qualified(ReadSchema, table))
	rows, err = g.pool.Query(ctx, sql)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// authzSameTables fails the test unless every table of the projection holds the same rows
// in a and b.
func authzSameTables(t *testing.T, a, b *given, skip ...string) {
	t.Helper()
	for _, table := range a.p.Tables() {
		want, got := authzDump(t, a, table, skip...), authzDump(t, b, table, skip...)
		if len(want) == 0 {
			t.Errorf("table %s is empty: the scenario should fill it", table)
		}
		if !slices.Equal(got, want) {
			t.Errorf("table %s differs:\n got %q\nwant %q", table, got, want)
		}
	}
}
