// Package apitoken issues and checks the bearer tokens of accessledger's API. A token is
// a random secret bound to an account; the store keeps only its SHA-256, so tokens can
// be checked but not recovered. Tokens are revocable and remember when they were last
// used.
package apitoken

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Prefix marks accessledger API tokens, so that secret scanners and people recognise one
// pasted in the wrong place (as GitHub's token prefixes do).
const Prefix = "alt_"

// secretBytes is the entropy of a token: 256 bits.
const secretBytes = 32

// ErrInvalid answers a token that is malformed, unknown or revoked. Callers cannot tell
// which, on purpose: tokens cannot be probed.
var ErrInvalid = errors.New("invalid or revoked API token")

// ErrUnavailable marks a call that failed because the database cannot answer now (down,
// starting up, out of connections, a connection lost): nothing is known of the token,
// which may well be valid, and the same call may succeed later.
var ErrUnavailable = errors.New("token store unavailable")

// Principal is who a valid token speaks for.
type Principal struct {
	TokenID   uuid.UUID
	AccountID uuid.UUID
	// PlatformAdmin tokens act with owner authority in every workspace.
	PlatformAdmin bool
}

// Token describes an issued token, never its secret.
type Token struct {
	ID            uuid.UUID  `json:"id"`
	AccountID     uuid.UUID  `json:"account_id"`
	PlatformAdmin bool       `json:"platform_admin"`
	Name          string     `json:"name"`
	WorkspaceID   *uuid.UUID `json:"workspace_id,omitempty"` // where it was issued, if in a workspace
	CreatedAt     time.Time  `json:"created_at"`
	LastUsedAt    *time.Time `json:"last_used_at,omitempty"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
}

// Spec asks for a token.
type Spec struct {
	// ID names the token. Issuing the same ID again with the same secret changes nothing,
	// which makes a retried issue safe; nil gets a fresh id.
	ID            uuid.UUID
	AccountID     uuid.UUID
	PlatformAdmin bool
	Name          string
	// WorkspaceID is the workspace the token is issued in, if any: accepting an
	// invitation, creating a workspace for its owner.
	WorkspaceID uuid.UUID
	// Secret is the token itself, from NewSecret or DerivedSecret; empty gets NewSecret.
	Secret string
}

// NewSecret answers a fresh random token.
func NewSecret() string {
	raw := make([]byte, secretBytes)
	_, _ = rand.Read(raw) // crypto/rand.Read never fails (Go 1.24+)
	return Prefix + base64.RawURLEncoding.EncodeToString(raw)
}

// DerivedSecret answers the token derived from key and id: the same inputs give the same
// token, so that a command retried with the same id answers the same token. Keep key as
// secret as the tokens themselves.
func DerivedSecret(key []byte, id uuid.UUID) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("api-token\x00"))
	mac.Write(id[:])
	return Prefix + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// wellFormed reports whether s looks like a token this package issues, so that garbage
// never reaches the database.
func wellFormed(s string) bool {
	body, ok := strings.CutPrefix(s, Prefix)
	if !ok || len(body) != base64.RawURLEncoding.EncodedLen(secretBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(body)
	return err == nil
}
