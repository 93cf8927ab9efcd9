package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/eventstore"
)

func TestInviteAndAccept(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5)
	ctx := context.Background()
	project := app.DerivedID(uuid.New(), "project")
	f.must(f.svc.CreateProject(ctx, f.by(f.owner), f.ws, domain.CreateProject{ProjectID: project, Name: "Beamline"}))

	meta := app.Meta{Actor: f.owner, Reason: "new postdoc", CorrelationID: uuid.New()}
	inv, err := f.svc.InviteUser(ctx, meta, f.ws, app.InviteUser{
		Email: " Ada@Example.COM ", FirstName: "Ada", LastName: "Lovelace", Login: "ada",
		Role: domain.RoleMember, Projects: []app.ProjectGrant{{ProjectID: project, Role: domain.ProjectContributor}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !inv.NewAccount || !strings.HasPrefix(inv.Token, "alinv_") || inv.Position.IsZero() {
		t.Fatalf("invitation = %+v", inv)
	}
	if got := f.status(inv.AccountID); got != domain.StatusInvited {
		t.Fatalf("status after invite = %s", got)
	}
	if role, _ := f.access(inv.AccountID).ProjectRole(project); role != domain.ProjectContributor {
		t.Errorf("project role = %q", role)
	}
	var acc domain.Account
	f.fold(domain.AccountStream(inv.AccountID), &acc)
	if acc.Email() != "ada@example.com" || acc.Login() != "ada" {
		t.Errorf("account = %s / %s", acc.Email(), acc.Login())
	}

	// Every event of the invitation carries the command's metadata.
	for _, stream := range []string{domain.WorkspaceStream(f.ws), domain.AccountStream(inv.AccountID), domain.EmailClaimStream("ada@example.com")} {
		events, err := f.store.ReadStream(ctx, stream, eventstore.ReadStreamOptions{Direction: eventstore.Backward, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		m := events[0].Metadata
		if m.Actor != f.owner.AccountID.String() || m.Reason != "new postdoc" || m.CorrelationID != meta.CorrelationID {
			t.Errorf("%s: metadata %+v", stream, m)
		}
	}

	res, ws, account, err := f.svc.AcceptInvitation(ctx, app.Meta{}, inv.Token)
	if err != nil || ws != f.ws || account != inv.AccountID || res.Version == 0 {
		t.Fatalf("accept = %+v %s %s %v", res, ws, account, err)
	}
	if got := f.status(inv.AccountID); got != domain.StatusActive {
		t.Fatalf("status after accept = %s", got)
	}
}

func TestInviteLinksAnExistingAccount(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5)
	ctx := context.Background()
	first := f.member("grace@example.com", domain.RoleMember)
	other, err := f.svc.CreateWorkspace(ctx, app.Meta{Actor: platformAdmin}, app.CreateWorkspace{
		Name: "Second", Seats: 3, Owner: domain.RegisterAccount{Email: "owner@example.com"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if other.OwnerAccountID != f.owner.AccountID {
		t.Fatalf("the owner's existing account was not linked: %s vs %s", other.OwnerAccountID, f.owner.AccountID)
	}
	inv, err := f.svc.InviteUser(ctx, f.by(f.owner), other.WorkspaceID, app.InviteUser{Email: "GRACE@example.com", Role: domain.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	if inv.NewAccount || inv.AccountID != first.AccountID {
		t.Fatalf("invitation %+v did not link account %s", inv, first.AccountID)
	}
}

func TestInviteRefusalsWriteNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 3)
	ctx := context.Background()
	viewer := f.member("viewer@example.com", domain.RoleViewer)
	before := f.fold(domain.WorkspaceStream(f.ws), &domain.Workspace{})
	tests := []struct {
		name string
		by   domain.Actor
		cmd  app.InviteUser
		code string
	}{
		{"bad email", f.owner, app.InviteUser{Email: "not-an-email", FirstName: "A", LastName: "B", Role: domain.RoleMember}, domain.CodeValidationFailed},
		{"missing names", f.owner, app.InviteUser{Email: "n1@example.com", Role: domain.RoleMember}, domain.CodeValidationFailed},
		{"owner role", f.owner, app.InviteUser{Email: "n2@example.com", FirstName: "A", LastName: "B", Role: domain.RoleOwner}, domain.CodeValidationFailed},
		{"unknown project", f.owner, app.InviteUser{Email: "n3@example.com", FirstName: "A", LastName: "B", Role: domain.RoleMember,
			Projects: []app.ProjectGrant{{ProjectID: uuid.New(), Role: domain.ProjectViewer}}}, domain.CodeValidationFailed},
		{"viewer may not invite", viewer, app.InviteUser{Email: "n4@example.com", FirstName: "A", LastName: "B", Role: domain.RoleMember}, domain.CodeForbidden},
		{"already a member", f.owner, app.InviteUser{Email: "viewer@example.com", Role: domain.RoleMember}, domain.CodeAlreadyMember},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.InviteUser(ctx, f.by(tc.by), f.ws, tc.cmd)
			wantCode(t, err, tc.code)
			if after := f.fold(domain.WorkspaceStream(f.ws), &domain.Workspace{}); after != before {
				t.Errorf("workspace stream went from %d to %d events", before, after)
			}
			var claim domain.Claim
			if n := f.fold(domain.EmailClaimStream(tc.cmd.Email), &claim); n != 0 && tc.cmd.Email != "viewer@example.com" {
				t.Errorf("a refused invitation claimed %s", tc.cmd.Email)
			}
		})
	}
}

func TestInviteIntoAFullPlanWritesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 2)
	f.member("last-seat@example.com", domain.RoleMember)
	before := f.fold(domain.WorkspaceStream(f.ws), &domain.Workspace{})
	_, err := f.svc.InviteUser(context.Background(), f.by(f.owner), f.ws, app.InviteUser{
		Email: "late@example.com", FirstName: "L", LastName: "Ate", Role: domain.RoleMember,
	})
	wantCode(t, err, domain.CodeQuotaExceeded)
	if after := f.fold(domain.WorkspaceStream(f.ws), &domain.Workspace{}); after != before {
		t.Errorf("workspace stream went from %d to %d events", before, after)
	}
	if n := f.fold(domain.EmailClaimStream("late@example.com"), &domain.Claim{}); n != 0 {
		t.Error("a refused invitation claimed the email")
	}
}

func TestAcceptRefusesBadTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 3)
	ctx := context.Background()
	inv, err := f.svc.InviteUser(ctx, f.by(f.owner), f.ws, app.InviteUser{Email: "x@example.com", FirstName: "X", LastName: "Y", Role: domain.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	forged := inv.Token[:len(inv.Token)-4] + "AAAA"
	for _, token := range []string{"", "garbage", "alinv_!!!", forged} {
		_, _, _, err := f.svc.AcceptInvitation(ctx, app.Meta{}, token)
		wantCode(t, err, domain.CodeInvitationNotFound)
	}
	f.clock.Advance(domain.DefaultInvitationTTL)
	_, _, _, err = f.svc.AcceptInvitation(ctx, app.Meta{}, inv.Token)
	wantCode(t, err, domain.CodeInvitationExpired)
	renewed, err := f.svc.ResendInvitation(ctx, f.by(f.owner), f.ws, inv.AccountID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := f.svc.AcceptInvitation(ctx, app.Meta{}, renewed.Token); err != nil {
		t.Fatalf("accept the resent invitation: %v", err)
	}
}

func TestReinvitingAfterARevocationStartsAfresh(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 3)
	ctx := context.Background()
	project := uuid.New()
	f.must(f.svc.CreateProject(ctx, f.by(f.owner), f.ws, domain.CreateProject{ProjectID: project, Name: "P"}))
	invite := app.InviteUser{Email: "twice@example.com", FirstName: "T", LastName: "Wice", Role: domain.RoleMember,
		Projects: []app.ProjectGrant{{ProjectID: project, Role: domain.ProjectAdmin}}}
	first, err := f.svc.InviteUser(ctx, f.by(f.owner), f.ws, invite)
	if err != nil {
		t.Fatal(err)
	}
	f.must(f.svc.RevokeInvitation(ctx, f.by(f.owner), f.ws, domain.RevokeInvitation{AccountID: first.AccountID}))
	if roles := f.access(first.AccountID).ProjectRoles(); len(roles) != 0 {
		t.Fatalf("project roles survived the revocation: %v", roles)
	}
	invite.Projects = nil
	if _, err := f.svc.InviteUser(ctx, f.by(f.owner), f.ws, invite); err != nil {
		t.Fatal(err)
	}
	if roles := f.access(first.AccountID).ProjectRoles(); len(roles) != 0 {
		t.Errorf("the second invitation inherited project roles %v", roles)
	}
}
