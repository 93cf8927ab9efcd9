package apitoken

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func newStore(t *testing.T) (*Store, *time.Time) {
	t.Helper()
	s := NewStore(pgtest.NewPool(t))
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s.clock = func() time.Time { return now }
	return s, &now
}

func TestIssueAuthenticateRevoke(t *testing.T) {
	ctx := context.Background()
	s, now := newStore(t)
	account := uuid.New()
	tok, secret, err := s.Issue(ctx, Spec{AccountID: account, PlatformAdmin: true, Name: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, Prefix) || len(secret) < len(Prefix)+43 {
		t.Fatalf("secret %q: want %s and 32 bytes of base64", secret, Prefix)
	}
	p, err := s.Authenticate(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if p != (Principal{TokenID: tok.ID, AccountID: account, PlatformAdmin: true}) {
		t.Fatalf("principal %+v", p)
	}
	list, err := s.List(ctx, account)
	if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(*now) {
		t.Fatalf("list %+v, %v: want one token used at %s", list, err, now)
	}
	if _, ok, err := s.Revoke(ctx, uuid.New(), tok.ID); ok || err != nil {
		t.Fatalf("revoke by another account: %t, %v", ok, err)
	}
	if _, ok, err := s.Revoke(ctx, account, tok.ID); !ok || err != nil {
		t.Fatalf("revoke: %t, %v", ok, err)
	}
	if _, err := s.Authenticate(ctx, secret); !errors.Is(err, ErrInvalid) {
		t.Fatalf("revoked token: %v, want ErrInvalid", err)
	}
}

func TestAuthenticateRefusesWhatItDidNotIssue(t *testing.T) {
	s, _ := newStore(t)
	for _, secret := range []string{"", "alt_", "Bearer x", NewSecret(), Prefix + strings.Repeat("!", 43), strings.Repeat("a", 5000)} {
		if _, err := s.Authenticate(context.Background(), secret); !errors.Is(err, ErrInvalid) {
			t.Errorf("Authenticate(%.20q) = %v, want ErrInvalid", secret, err)
		}
	}
}

func TestLastUsedIsRefreshedAtMostOnceAMinute(t *testing.T) {
	ctx := context.Background()
	s, now := newStore(t)
	account := uuid.New()
	_, secret, err := s.Issue(ctx, Spec{AccountID: account})
	if err != nil {
		t.Fatal(err)
	}
	first := *now
	for _, step := range []time.Duration{0, 30 * time.Second, 29 * time.Second} {
		*now = now.Add(step)
		s.valid.Purge() // as if the second the cache trusts a token had passed
		if _, err := s.Authenticate(ctx, secret); err != nil {
			t.Fatal(err)
		}
	}
	lastUsed := func() time.Time {
		list, err := s.List(ctx, account)
		if err != nil {
			t.Fatal(err)
		}
		return *list[0].LastUsedAt
	}
	if got := lastUsed(); !got.Equal(first) {
		t.Fatalf("last used %s after 59 s, want %s", got, first)
	}
	*now = now.Add(time.Second)
	s.valid.Purge()
	if _, err := s.Authenticate(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if got := lastUsed(); !got.Equal(*now) {
		t.Fatalf("last used %s after a minute, want %s", got, *now)
	}
}

func TestIssueRetriedWithTheSameIDAndSecret(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	id, account := uuid.New(), uuid.New()
	secret := DerivedSecret([]byte("key"), id)
	if secret != DerivedSecret([]byte("key"), id) || secret == DerivedSecret([]byte("other"), id) {
		t.Fatal("DerivedSecret must depend on exactly its key and id")
	}
	for range 2 {
		if _, got, err := s.Issue(ctx, Spec{ID: id, AccountID: account, Secret: secret}); err != nil || got != secret {
			t.Fatalf("issue: %q, %v", got, err)
		}
	}
	if _, _, err := s.Issue(ctx, Spec{ID: id, AccountID: account}); err == nil {
		t.Fatal("issuing a taken id with another secret succeeded")
	}
	if list, _ := s.List(ctx, account); len(list) != 1 {
		t.Fatalf("%d tokens, want 1", len(list))
	}
}

// TestAuthenticateTrustsACheckedTokenForASecond: a token checked is not read again within
// the second; one revoked by another process (another Store) works here that long.
func TestAuthenticateTrustsACheckedTokenForASecond(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	account := uuid.New()
	tok, secret, err := s.Issue(ctx, Spec{AccountID: account})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, secret); err != nil {
		t.Fatal(err)
	}
	other := NewStore(s.pool)
	if _, ok, err := other.Revoke(ctx, account, tok.ID); !ok || err != nil {
		t.Fatalf("revoke: %t, %v", ok, err)
	}
	if _, err := s.Authenticate(ctx, secret); err != nil {
		t.Fatalf("within the second the checked token still works: %v", err)
	}
	s.valid.Purge()
	if _, err := s.Authenticate(ctx, secret); !errors.Is(err, ErrInvalid) {
		t.Fatalf("after the second, the revoked token: %v", err)
	}
}
