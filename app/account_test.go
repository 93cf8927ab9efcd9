package app_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/eventstore"
)

func ptr(s string) *string { return &s }

// eventTypes answers the types of a stream's events.
func (f *fixture) eventTypes(stream string) []string {
	f.t.Helper()
	var types []string
	for _, e := range f.readAll(stream) {
		types = append(types, e.EventType())
	}
	return types
}

// TestChangeAccountIsDecidedWhole sends account patches of which one part is refused:
// the account stream and the claims are as before, and every invalid field is named.
func TestChangeAccountIsDecidedWhole(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5)
	ctx := context.Background()
	member := f.member("member@example.com", domain.RoleMember).AccountID
	f.member("taken@example.com", domain.RoleMember)
	stale := int64(0)
	tests := []struct {
		name       string
		meta       app.Meta
		patch      app.AccountPatch
		wantCode   string
		wantFields []string
	}{
		{"invalid email", f.by(f.owner), app.AccountPatch{FirstName: ptr("Mallory"), Email: ptr("not-an-email")}, domain.CodeValidationFailed, []string{"email"}},
		{"invalid name and email", f.by(f.owner), app.AccountPatch{FirstName: ptr(""), Phone: ptr("1"), Email: ptr("x")}, domain.CodeValidationFailed, []string{"first_name", "phone", "email"}},
		{"email taken", f.by(f.owner), app.AccountPatch{FirstName: ptr("Mallory"), Email: ptr("Taken@example.com")}, domain.CodeEmailTaken, nil},
		{"forbidden", f.by(domain.Actor{AccountID: uuid.New()}), app.AccountPatch{FirstName: ptr("Mallory"), Email: ptr("new@example.com")}, domain.CodeForbidden, nil},
		{"stale If-Match", app.Meta{Actor: f.owner, IfVersion: &stale}, app.AccountPatch{LastName: ptr("Stale"), Email: ptr("new@example.com")}, "", nil},
	}
	account, free := domain.AccountStream(member), domain.EmailClaimStream("new@example.com")
	before := f.eventTypes(account)
	for _, tt := range tests {
		_, err := f.svc.ChangeAccount(ctx, tt.meta, member, []uuid.UUID{f.ws}, tt.patch)
		var pre *app.PreconditionError
		switch {
		case tt.wantCode == "" && !errors.As(err, &pre):
			t.Errorf("%s: error %v, want a precondition error", tt.name, err)
		case tt.wantCode != "" && !domain.IsCode(err, tt.wantCode):
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.wantCode)
		}
		var de *domain.Error
		if tt.wantFields != nil && errors.As(err, &de) {
			var fields []string
			for _, fe := range de.Fields {
				fields = append(fields, fe.Field)
			}
			if !slices.Equal(fields, tt.wantFields) {
				t.Errorf("%s: fields %v, want %v", tt.name, fields, tt.wantFields)
			}
		}
		if after := f.eventTypes(account); !slices.Equal(after, before) {
			t.Errorf("%s: the account went from %v to %v", tt.name, before, after)
		}
		if claimed := f.eventTypes(free); claimed != nil {
			t.Errorf("%s: the new email's claim holds %v", tt.name, claimed)
		}
	}
}

// failingStore fails the first append to the stream named prefix (or any that starts
// with it), as a crash between two steps of a command would leave things; with
// afterwards, it makes the append and then fails, as an answer lost on the way does.
type failingStore struct {
	app.Store
	mu         sync.Mutex
	prefix     string
	afterwards bool
}

// AppendStreams fails as Append does when a part's stream is the one named.
func (s *failingStore) AppendStreams(ctx context.Context, parts ...eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	s.mu.Lock()
	fail := s.prefix != "" && slices.ContainsFunc(parts, func(p eventstore.StreamAppend) bool { return strings.HasPrefix(p.Stream, s.prefix) })
	if fail {
		s.prefix = ""
	}
	after := s.afterwards
	s.mu.Unlock()
	if !fail {
		return s.Store.AppendStreams(ctx, parts...)
	}
	if after {
		if _, err := s.Store.AppendStreams(ctx, parts...); err != nil {
			return nil, err
		}
	}
	return nil, errCrash
}

var errCrash = errors.New("crashed")

func (s *failingStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	s.mu.Lock()
	fail := s.prefix != "" && strings.HasPrefix(stream, s.prefix)
	if fail {
		s.prefix = ""
	}
	s.mu.Unlock()
	if fail {
		return eventstore.AppendResult{}, errCrash
	}
	return s.Store.Append(ctx, stream, expected, events...)
}

// TestChangeAccountRetryCompletes stops a change of name and email after each of its
// steps, and retries it with the same command id through another service: the retry
// completes the change, with one append to the account, the new email claimed and the
// old one released.
func TestChangeAccountRetryCompletes(t *testing.T) {
	t.Parallel()
	crashes := map[string]func(member uuid.UUID) string{
		"before the account's append":    domain.AccountStream,
		"before the old email's release": func(uuid.UUID) string { return domain.EmailClaimStream("member@example.com") },
	}
	for name, crashOn := range crashes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, 5)
			ctx := context.Background()
			member := f.member("member@example.com", domain.RoleMember).AccountID
			account := domain.AccountStream(member)
			before := len(f.eventTypes(account))
			failing := &failingStore{Store: f.store, prefix: crashOn(member)}
			svc := app.New(failing, app.Options{Clock: f.clock.Now, TokenKey: []byte("test key")})
			meta := app.Meta{CommandID: uuid.New(), Actor: f.owner}
			patch := app.AccountPatch{FirstName: ptr("Mallory"), Email: ptr("new@example.com")}
			if _, err := svc.ChangeAccount(ctx, meta, member, []uuid.UUID{f.ws}, patch); !errors.Is(err, errCrash) {
				t.Fatalf("first run: %v, want the crash", err)
			}
			res, err := f.newService().ChangeAccount(ctx, meta, member, []uuid.UUID{f.ws}, patch)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			got := f.eventTypes(account)[before:]
			if want := []string{"account.profile_changed", "account.email_changed"}; !slices.Equal(got, want) {
				t.Errorf("the account has %v more, want %v", got, want)
			}
			if res.Stream != account || res.Version != int64(before+2) {
				t.Errorf("result %+v, want the account at version %d", res, before+2)
			}
			var a domain.Account
			f.fold(account, &a)
			if a.Email() != "new@example.com" || a.Profile().FirstName != "Mallory" {
				t.Errorf("account %s %+v", a.Email(), a.Profile())
			}
			if old := f.eventTypes(domain.EmailClaimStream("member@example.com")); !slices.Equal(old, []string{"claim.claimed", "claim.released"}) {
				t.Errorf("the old email's claim holds %v, want it released", old)
			}
			if claimed := f.eventTypes(domain.EmailClaimStream("new@example.com")); !slices.Equal(claimed, []string{"claim.claimed"}) {
				t.Errorf("the new email's claim holds %v", claimed)
			}
		})
	}
}
