package apitoken

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/internal/pgerr/pgerrtest"
	"accessledger/internal/pgtest"
)

// TestAnOutageIsNoInvalidToken: while the database is down or starting up, checking a
// token, issuing, listing and revoking fail with ErrUnavailable, never ErrInvalid (the
// token may well be valid); once it is back, the same token checks.
func TestAnOutageIsNoInvalidToken(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	proxy, url := pgerrtest.Start(t, pgtest.NewDatabase(t))
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	s := NewStore(pool)
	account := uuid.New()
	tok, secret, err := s.Issue(ctx, Spec{AccountID: account, Name: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	outages := []struct {
		name  string
		begin func()
	}{
		{"down", proxy.Refuse},
		{"starting up", proxy.StartingUp},
	}
	for _, o := range outages {
		t.Run(o.name, func(t *testing.T) {
			s.valid.Purge() // a token checked in the last second is not checked again
			o.begin()
			calls := map[string]error{}
			_, calls["authenticate"] = s.Authenticate(ctx, secret)
			_, _, calls["issue"] = s.Issue(ctx, Spec{AccountID: account, Name: "other"})
			_, calls["list"] = s.List(ctx, account)
			_, _, calls["revoke"] = s.Revoke(ctx, account, tok.ID)
			for call, err := range calls {
				if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrInvalid) {
					t.Errorf("%s: %v, want ErrUnavailable", call, err)
				}
			}
			proxy.Resume()
			if p, err := s.Authenticate(ctx, secret); err != nil || p.TokenID != tok.ID {
				t.Errorf("after the outage: %+v, %v; want token %s", p, err, tok.ID)
			}
		})
	}
}
