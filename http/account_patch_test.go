package http

import (
	"slices"
	"testing"

	"accessledger/domain"
)

// TestRefusedAccountPatchChangesNothing sends PATCH /v1/accounts/{id} requests that
// change the profile and the email at once, one of them refused: the account stream
// (read back from the store) and the email claims are as before. A request that maps
// to several commands is decided whole; it once changed the first name and then
// refused the email.
func TestRefusedAccountPatchChangesNothing(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	path := "/v1/accounts/" + f.member.String()
	tests := []struct {
		name       string
		body       map[string]string
		wantStatus int
		wantCode   string
		wantField  string
	}{
		{"invalid email", map[string]string{"first_name": "Mallory", "email": "not-an-email"}, 400, domain.CodeValidationFailed, "email"},
		{"email in use", map[string]string{"first_name": "Eve", "email": "owner@example.com"}, 409, domain.CodeEmailTaken, ""},
		{"invalid name, valid email", map[string]string{"first_name": "", "email": "new@example.com"}, 400, domain.CodeValidationFailed, "first_name"},
		{"invalid phone, email in use", map[string]string{"last_name": "Doe", "phone": "12", "email": "owner@example.com"}, 400, domain.CodeValidationFailed, "phone"},
	}
	account := domain.AccountStream(f.member)
	for _, tt := range tests {
		before := f.events(account)
		freeClaim := f.events(domain.EmailClaimStream("new@example.com"))
		a := f.do("PATCH", path, tt.body)
		var p problemDoc
		decodeProblem(t, a, &p)
		if a.status != tt.wantStatus || p.Code != tt.wantCode || (tt.wantField != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.wantField)) {
			t.Errorf("%s: %d %s %+v, want %d %s on %q", tt.name, a.status, p.Code, p.Errors, tt.wantStatus, tt.wantCode, tt.wantField)
		}
		if after := f.events(account); !slices.Equal(after, before) {
			t.Errorf("%s: the account stream went from %v to %v", tt.name, before, after)
		}
		if after := f.events(domain.EmailClaimStream("new@example.com")); !slices.Equal(after, freeClaim) {
			t.Errorf("%s: the new email's claim went from %v to %v", tt.name, freeClaim, after)
		}
	}
}

// TestAccountPatchAppliesWhole changes names and email in one request: one append to
// the account stream carries both, the new email is claimed and the old one released;
// the same request again with the same Idempotency-Key appends nothing.
func TestAccountPatchAppliesWhole(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	path := "/v1/accounts/" + f.member.String()
	account := domain.AccountStream(f.member)
	before := len(f.events(account))
	body := map[string]string{"first_name": "Mallory", "email": "Mallory@Example.com"}
	first := f.do("PATCH", path, body, "Idempotency-Key", "patch-1")
	if first.status != 200 {
		t.Fatalf("status %d: %s", first.status, first.body)
	}
	got := f.events(account)[before:]
	want := []string{domain.ProfileChanged{}.EventType(), domain.EmailChanged{}.EventType()}
	if !slices.Equal(got, want) {
		t.Errorf("appended %v, want %v", got, want)
	}
	if etag := first.header.Get("ETag"); etag != etagOf(account, before+2) {
		t.Errorf("ETag %s, want the account's version %d", etag, before+2)
	}
	claimNew, claimOld := domain.EmailClaimStream("mallory@example.com"), domain.EmailClaimStream("member@example.com")
	if n := len(f.events(claimNew)); n != 1 {
		t.Errorf("the new email's claim has %d events, want 1", n)
	}
	released := f.events(claimOld)
	if len(released) != 2 {
		t.Errorf("the old email's claim has %v, want claimed and released", released)
	}
	again := f.do("PATCH", path, body, "Idempotency-Key", "patch-1")
	if again.status != 200 || again.header.Get("ETag") != first.header.Get("ETag") {
		t.Errorf("retry: %d ETag %s, want 200 %s", again.status, again.header.Get("ETag"), first.header.Get("ETag"))
	}
	if n := len(f.events(account)); n != before+2 || len(f.events(claimOld)) != 2 || len(f.events(claimNew)) != 1 {
		t.Errorf("the retry appended")
	}
}

func etagOf(stream string, version int) string { return etag(stream, int64(version)) }
