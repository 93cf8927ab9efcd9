package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// TestIfMatchOnMultiStepCommands sends commands of several steps with If-Match on the
// stream whose version they answer: the current version runs the command whole (it
// once failed half-way, on a step of another stream, after the first had appended), and
// a stale one refuses it before anything is appended.
func TestIfMatchOnMultiStepCommands(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 10)
	ctx := context.Background()
	project := uuid.New()
	f.must(f.svc.CreateProject(ctx, f.by(f.owner), f.ws, domain.CreateProject{ProjectID: project, Name: "Apollo"}))
	// An account registered elsewhere, invited below.
	if _, err := f.svc.CreateWorkspace(ctx, app.Meta{Actor: platformAdmin}, app.CreateWorkspace{Name: "Other", Seats: 2,
		Owner: domain.RegisterAccount{Email: "elsewhere@example.com", FirstName: "E", LastName: "Lsewhere"}}); err != nil {
		t.Fatal(err)
	}
	source := f.member("source@example.com", domain.RoleManager).AccountID
	target := f.member("target@example.com", domain.RoleMember).AccountID
	f.must(f.svc.AssignProjectRole(ctx, f.by(f.owner), f.ws, source, domain.AssignProjectRole{ProjectID: project, Role: domain.ProjectViewer}))
	invited := func(email string) uuid.UUID {
		inv, err := f.svc.InviteUser(ctx, f.by(f.owner), f.ws, app.InviteUser{Email: email, FirstName: "I", LastName: "Nvited", Role: domain.RoleMember,
			Projects: []app.ProjectGrant{{ProjectID: project, Role: domain.ProjectViewer}}})
		if err != nil {
			t.Fatal(err)
		}
		return inv.AccountID
	}
	revoke, reject := invited("revoke@example.com"), uuid.New()
	f.must(f.svc.RequestAccess(ctx, f.by(domain.Actor{AccountID: reject}), f.ws, domain.RequestAccess{AccountID: reject}))
	workspace := func() int64 { return f.fold(domain.WorkspaceStream(f.ws), &domain.Workspace{}) }
	member := func(account uuid.UUID) int64 {
		return f.fold(domain.MemberStream(f.ws, account), domain.NewMemberAccess(f.ws, account))
	}
	grants := []app.ProjectGrant{{ProjectID: project, Role: domain.ProjectContributor}}
	commands := []struct {
		name    string
		version func() int64 // of the stream the command answers
		run     func(app.Meta) (app.Result, error)
	}{
		{"revoke an invitation", workspace, func(m app.Meta) (app.Result, error) {
			return f.svc.RevokeInvitation(ctx, m, f.ws, domain.RevokeInvitation{AccountID: revoke})
		}},
		{"reject an access request", workspace, func(m app.Meta) (app.Result, error) {
			return f.svc.RejectAccess(ctx, m, f.ws, domain.RejectAccess{AccountID: reject})
		}},
		{"copy permissions", func() int64 { return member(target) }, func(m app.Meta) (app.Result, error) {
			return f.svc.CopyPermissions(ctx, m, f.ws, target, source)
		}},
		{"invite a new account with a project", workspace, func(m app.Meta) (app.Result, error) {
			inv, err := f.svc.InviteUser(ctx, m, f.ws, app.InviteUser{Email: "new@example.com", FirstName: "N", LastName: "Ew", Role: domain.RoleMember, Projects: grants})
			return inv.Result, err
		}},
		{"invite an existing account with a project", workspace, func(m app.Meta) (app.Result, error) {
			inv, err := f.svc.InviteUser(ctx, m, f.ws, app.InviteUser{Email: "elsewhere@example.com", Role: domain.RoleMember, Projects: grants})
			return inv.Result, err
		}},
		{"create a workspace", func() int64 { return 0 }, func(m app.Meta) (app.Result, error) {
			m.Actor = platformAdmin
			created, err := f.svc.CreateWorkspace(ctx, m, app.CreateWorkspace{Name: "Third", Seats: 2,
				Owner: domain.RegisterAccount{Email: "third@example.com", FirstName: "T", LastName: "Hird"}})
			return created.Result, err
		}},
	}
	for _, c := range commands {
		head := f.head()
		stale := c.version() + 7
		_, err := c.run(app.Meta{Actor: f.owner, IfVersion: &stale})
		var pre *app.PreconditionError
		if !errors.As(err, &pre) {
			t.Errorf("%s with a stale If-Match: %v, want a precondition error", c.name, err)
		}
		if after := f.head(); after != head {
			t.Errorf("%s with a stale If-Match appended %d events", c.name, after-head)
		}
		current := c.version()
		meta := app.Meta{CommandID: uuid.New(), Actor: f.owner, IfVersion: &current}
		first, err := c.run(meta)
		if err != nil {
			t.Errorf("%s with the current If-Match: %v", c.name, err)
			continue
		}
		// A retry answers the first result, though the stream moved on by the command.
		if again, err := c.run(meta); err != nil || again != first {
			t.Errorf("%s retried: %+v, %v; first %+v", c.name, again, err, first)
		}
	}
}
