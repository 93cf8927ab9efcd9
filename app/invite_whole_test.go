package app_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// TestAnInvitationIsWrittenWholeOrNotAtAll stops an invitation of a new email at its
// append, before it and after it (the answer lost), and retries it with the same
// command id through another service: nothing is half written in between, and the
// retry completes it with one event in each stream and the same answer.
func TestAnInvitationIsWrittenWholeOrNotAtAll(t *testing.T) {
	t.Parallel()
	for name, afterwards := range map[string]bool{"before the append": false, "after the append": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, 5)
			ctx := context.Background()
			roster := domain.WorkspaceStream(f.ws)
			before := len(f.eventTypes(roster))
			failing := &failingStore{Store: f.store, prefix: roster, afterwards: afterwards}
			svc := app.New(failing, app.Options{Clock: f.clock.Now, TokenKey: []byte("test key")})
			meta := app.Meta{CommandID: uuid.New(), Actor: f.owner}
			cmd := app.InviteUser{Email: "whole@example.com", FirstName: "W", LastName: "Hole", Role: domain.RoleMember}
			if _, err := svc.InviteUser(ctx, meta, f.ws, cmd); !errors.Is(err, errCrash) {
				t.Fatalf("first run: %v, want the crash", err)
			}
			claim := domain.EmailClaimStream(cmd.Email)
			account := domain.AccountStream(app.DerivedID(meta.CommandID, "account"))
			written := len(f.eventTypes(claim)) + len(f.eventTypes(account)) + len(f.eventTypes(roster)) - before
			if want := map[bool]int{false: 0, true: 3}[afterwards]; written != want {
				t.Fatalf("after the crash the claim, account and roster hold %d new events, want %d", written, want)
			}
			inv, err := f.newService().InviteUser(ctx, meta, f.ws, cmd)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			if got := f.eventTypes(claim); !slices.Equal(got, []string{"claim.claimed"}) {
				t.Errorf("claim holds %v", got)
			}
			if got := f.eventTypes(account); !slices.Equal(got, []string{"account.registered"}) {
				t.Errorf("account holds %v", got)
			}
			if got := f.eventTypes(roster)[before:]; !slices.Equal(got, []string{"member.invited"}) {
				t.Errorf("roster gained %v", got)
			}
			if inv.AccountID != app.DerivedID(meta.CommandID, "account") || !inv.NewAccount || inv.Version != int64(before+1) {
				t.Errorf("retry answered %+v", inv)
			}
		})
	}
}

// TestAnInvitationRefusedForAuthorityTellsNothingElse invites, as a viewer, a new email
// with a login another account holds: the answer is forbidden, not login_taken, which
// would tell an actor without the authority that the login exists. The owner gets
// login_taken, and neither writes anything.
func TestAnInvitationRefusedForAuthorityTellsNothingElse(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5)
	ctx := context.Background()
	viewer := f.member("viewer@example.com", domain.RoleViewer)
	if _, err := f.svc.RegisterAccount(ctx, app.Meta{Actor: platformAdmin}, domain.RegisterAccount{
		Email: "holder@example.com", Login: "taken", FirstName: "H", LastName: "Older"}); err != nil {
		t.Fatal(err)
	}
	cmd := app.InviteUser{Email: "fresh@example.com", Login: "taken", FirstName: "F", LastName: "Resh", Role: domain.RoleMember}
	for _, tc := range []struct {
		by   domain.Actor
		code string
	}{{viewer, domain.CodeForbidden}, {f.owner, domain.CodeLoginTaken}} {
		_, err := f.svc.InviteUser(ctx, f.by(tc.by), f.ws, cmd)
		wantCode(t, err, tc.code)
		if got := f.eventTypes(domain.EmailClaimStream(cmd.Email)); got != nil {
			t.Errorf("a refused invitation claimed the email: %v", got)
		}
	}
}
