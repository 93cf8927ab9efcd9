package app_test

import (
	"context"
	"testing"

	"accessledger/app"
	"accessledger/domain"
)

// TestTakenLoginClaimsNothing invites a new person with a login another account holds:
// login_taken, and the email's claim stream is untouched (it was once claimed and
// released again).
func TestTakenLoginClaimsNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5)
	ctx := context.Background()
	if _, err := f.svc.InviteUser(ctx, f.by(f.owner), f.ws, app.InviteUser{Email: "first@example.com", FirstName: "F", LastName: "Irst",
		Login: "ada", Role: domain.RoleMember}); err != nil {
		t.Fatal(err)
	}
	head := f.head()
	_, err := f.svc.InviteUser(ctx, f.by(f.owner), f.ws, app.InviteUser{Email: "second@example.com", FirstName: "S", LastName: "Econd",
		Login: "ADA", Role: domain.RoleMember})
	wantCode(t, err, domain.CodeLoginTaken)
	if claim := f.eventTypes(domain.EmailClaimStream("second@example.com")); claim != nil {
		t.Errorf("the email's claim holds %v", claim)
	}
	if after := f.head(); after != head {
		t.Errorf("the refused invitation appended %d events", after-head)
	}
}
