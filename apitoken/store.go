package apitoken

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/domain"
	"accessledger/internal/pgerr"
)

// touchEvery is how stale last_used_at may get: refreshing it on every request would
// turn every read into a write.
const touchEvery = time.Minute

// cacheTTL is how long Authenticate trusts a token it checked without checking it
// again: a token revoked by another process keeps working that long in this one.
const cacheTTL = time.Second

// Store keeps tokens in the api_tokens table (migration 004).
type Store struct {
	pool  *pgxpool.Pool
	clock func() time.Time
	// valid remembers the tokens checked in the last cacheTTL, by hash, so that a
	// request does not cost a query to authenticate.
	valid *expirable.LRU[string, Principal]
}

// NewStore answers a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, clock: time.Now, valid: expirable.NewLRU[string, Principal](10_000, nil, cacheTTL)}
}

// Issue stores the token spec asks for and answers it with its secret, which is shown
// once and never stored. Issuing an id that exists answers that token if the secret
// matches (a retry), and an error otherwise.
func (s *Store) Issue(ctx context.Context, spec Spec) (Token, string, error) {
	if spec.AccountID == uuid.Nil {
		return Token{}, "", errors.New("issue token: no account")
	}
	if spec.ID == uuid.Nil {
		spec.ID = uuid.Must(uuid.NewV7())
	}
	if spec.Secret == "" {
		spec.Secret = NewSecret()
	}
	if !wellFormed(spec.Secret) {
		return Token{}, "", errors.New("issue token: malformed secret")
	}
	hash := domain.HashToken(spec.Secret) // what is kept of a token: its SHA-256 in hex
	var ws *uuid.UUID
	if spec.WorkspaceID != uuid.Nil {
		ws = &spec.WorkspaceID
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO api_tokens (id, hash, account_id, platform_admin, name, workspace_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
		spec.ID, hash, spec.AccountID, spec.PlatformAdmin, spec.Name, ws, s.clock())
	if err != nil {
		return Token{}, "", fmt.Errorf("issue token: %w", unavailable(err))
	}
	t, storedHash, err := s.get(ctx, spec.ID)
	if err != nil {
		return Token{}, "", fmt.Errorf("issue token: %w", unavailable(err))
	}
	if storedHash != hash || t.AccountID != spec.AccountID {
		return Token{}, "", fmt.Errorf("issue token: id %s is another token's", spec.ID)
	}
	return t, spec.Secret, nil
}

// Authenticate answers who secret speaks for, or ErrInvalid. A token revoked by another
// process may keep working here for up to a second.
func (s *Store) Authenticate(ctx context.Context, secret string) (Principal, error) {
	if !wellFormed(secret) {
		return Principal{}, ErrInvalid
	}
	hash := domain.HashToken(secret)
	if p, ok := s.valid.Get(hash); ok {
		return p, nil
	}
	var p Principal
	var lastUsed *time.Time
	err := s.pool.QueryRow(ctx, `SELECT id, account_id, platform_admin, last_used_at FROM api_tokens
		WHERE hash = $1 AND revoked_at IS NULL`, hash).Scan(&p.TokenID, &p.AccountID, &p.PlatformAdmin, &lastUsed)
	if errors.Is(err, pgx.ErrNoRows) {
		return Principal{}, ErrInvalid
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate: %w", unavailable(err))
	}
	now := s.clock()
	if lastUsed == nil || now.Sub(*lastUsed) >= touchEvery {
		if _, err := s.pool.Exec(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, p.TokenID, now); err != nil {
			return Principal{}, fmt.Errorf("authenticate: record use: %w", unavailable(err))
		}
	}
	s.valid.Add(hash, p)
	return p, nil
}

// Revoke ends the token id of account for good, and answers it. It reports whether
// there was such a token not yet revoked.
func (s *Store) Revoke(ctx context.Context, account, id uuid.UUID) (Token, bool, error) {
	t, _, err := scanToken(s.pool.QueryRow(ctx, `UPDATE api_tokens SET revoked_at = $3
		WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL RETURNING `+tokenColumns, id, account, s.clock()))
	s.valid.Purge() // revocations are rare: forget every token rather than find this one's hash
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, false, nil
	}
	if err != nil {
		return Token{}, false, fmt.Errorf("revoke token %s: %w", id, unavailable(err))
	}
	return t, true, nil
}

// List answers the tokens of account, newest first, revoked ones included.
func (s *Store) List(ctx context.Context, account uuid.UUID) ([]Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE account_id = $1 ORDER BY created_at DESC, id`, account)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", unavailable(err))
	}
	tokens, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Token, error) {
		t, _, err := scanToken(row)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", unavailable(err))
	}
	return tokens, nil
}

const tokenColumns = "id, account_id, platform_admin, name, workspace_id, created_at, last_used_at, revoked_at, hash"

func (s *Store) get(ctx context.Context, id uuid.UUID) (Token, string, error) {
	return scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id))
}

func scanToken(row pgx.Row) (Token, string, error) {
	var t Token
	var hash string
	err := row.Scan(&t.ID, &t.AccountID, &t.PlatformAdmin, &t.Name, &t.WorkspaceID, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt, &hash)
	return t, hash, err
}

// unavailable marks err with ErrUnavailable when it says the database cannot answer now
// (pgerr.Unavailable), and answers it as it is otherwise.
func unavailable(err error) error {
	if pgerr.Unavailable(err) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}
