package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// TestRetriedCommandsAppendNothing sends each command twice with the same command id,
// through the service that ran it and through a fresh one (another process, a cold
// cache): the retry answers the first result and the log does not grow.
func TestRetriedCommandsAppendNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 10)
	ctx := context.Background()
	member := f.member("target@example.com", domain.RoleMember).AccountID
	source := f.member("source@example.com", domain.RoleManager).AccountID
	f.must(f.svc.SetModule(ctx, f.by(f.owner), f.ws, domain.SetModule{Module: domain.ModuleBooking, Enabled: true, MinRole: domain.RoleMember}))
	category, visa := uuid.New(), uuid.New()
	f.must(f.svc.DefineBookingCategory(ctx, f.by(f.owner), f.ws, domain.DefineBookingCategory{CategoryID: category, Name: "microscopes"}))
	f.must(f.svc.DefineVisa(ctx, f.by(f.owner), f.ws, domain.DefineVisa{VisaID: visa, Name: "trained"}))

	commands := []struct {
		name string
		run  func(*app.Service, app.Meta) (any, error)
	}{
		{"invite", func(s *app.Service, m app.Meta) (any, error) {
			return s.InviteUser(ctx, m, f.ws, app.InviteUser{Email: "again@example.com", FirstName: "A", LastName: "Gain", Role: domain.RoleMember})
		}},
		{"change role", func(s *app.Service, m app.Meta) (any, error) {
			return s.ChangeRole(ctx, m, f.ws, domain.ChangeRole{AccountID: member, Role: domain.RoleViewer})
		}},
		{"grant visa", func(s *app.Service, m app.Meta) (any, error) {
			return s.GrantVisa(ctx, m, f.ws, member, domain.GrantVisa{CategoryID: category, VisaID: visa})
		}},
		{"copy permissions", func(s *app.Service, m app.Meta) (any, error) {
			return s.CopyPermissions(ctx, m, f.ws, member, source)
		}},
		{"create workspace", func(s *app.Service, m app.Meta) (any, error) {
			m.Actor = platformAdmin
			return s.CreateWorkspace(ctx, m, app.CreateWorkspace{Name: "Other", Seats: 2, Owner: domain.RegisterAccount{Email: "boss@example.com", FirstName: "B", LastName: "Oss"}})
		}},
	}
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			meta := app.Meta{CommandID: uuid.New(), Actor: f.owner}
			first, err := c.run(f.svc, meta)
			if err != nil {
				t.Fatal(err)
			}
			head := f.head()
			for _, svc := range []*app.Service{f.svc, f.newService()} {
				again, err := c.run(svc, meta)
				if err != nil {
					t.Fatalf("retry: %v", err)
				}
				if again != first {
					t.Errorf("retry answered %+v, first run %+v", again, first)
				}
			}
			if after := f.head(); after != head {
				t.Errorf("the retries appended: %d events before, %d after", head, after)
			}
		})
	}
}

// head answers how many events the store holds. It counts the table rather than
// reading the global log: the log hides events behind transactions still open anywhere
// on the server (parallel tests hold some), so its head can move without an append.
func (f *fixture) head() int64 {
	f.t.Helper()
	var n int64
	if err := f.pool.QueryRow(context.Background(), "SELECT count(*) FROM events").Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestIfVersion(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 4)
	ctx := context.Background()
	member := f.member("m@example.com", domain.RoleMember).AccountID
	current := f.fold(domain.WorkspaceStream(f.ws), &domain.Workspace{})
	stale := current - 1
	meta := app.Meta{Actor: f.owner, IfVersion: &stale}
	_, err := f.svc.ChangeRole(ctx, meta, f.ws, domain.ChangeRole{AccountID: member, Role: domain.RoleViewer})
	var pre *app.PreconditionError
	if !errors.As(err, &pre) || pre.Actual != current || pre.Expected != stale {
		t.Fatalf("error %v, want a precondition error at version %d", err, current)
	}
	meta.IfVersion = &current
	res, err := f.svc.ChangeRole(ctx, meta, f.ws, domain.ChangeRole{AccountID: member, Role: domain.RoleViewer})
	if err != nil || res.Version != current+1 {
		t.Fatalf("with the current version: %+v, %v", res, err)
	}
}
