package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/google/uuid"
)

// Stream kinds, the prefixes of stream names.
const (
	StreamKindWorkspace  = "workspace"
	StreamKindMember     = "member"
	StreamKindAccount    = "account"
	StreamKindEmailClaim = "claim-email"
	StreamKindLoginClaim = "claim-login"
)

// StreamPrefixes answers the beginnings of every stream name accessledger writes, one
// per stream kind: an event store shared with other applications keeps its global log
// to these.
func StreamPrefixes() []string {
	kinds := []string{StreamKindWorkspace, StreamKindMember, StreamKindAccount, StreamKindEmailClaim, StreamKindLoginClaim}
	out := make([]string, len(kinds))
	for i, kind := range kinds {
		out[i] = kind + "-"
	}
	return out
}

// WorkspaceStream names the stream of a workspace: its configuration and its roster.
func WorkspaceStream(workspace uuid.UUID) string {
	return StreamKindWorkspace + "-" + workspace.String()
}

// MemberStream names the stream of one member's grants inside one workspace.
func MemberStream(workspace, account uuid.UUID) string {
	return StreamKindMember + "-" + workspace.String() + "-" + account.String()
}

// AccountStream names the stream of an account's personal data.
func AccountStream(account uuid.UUID) string {
	return StreamKindAccount + "-" + account.String()
}

// EmailClaimStream names the stream that makes an email unique platform-wide. The name
// carries a hash, not the address, so stream names never hold personal data.
func EmailClaimStream(email string) string {
	return StreamKindEmailClaim + "-" + digest(NormalizeEmail(email))
}

// LoginClaimStream names the stream that makes a login unique platform-wide.
func LoginClaimStream(login string) string {
	return StreamKindLoginClaim + "-" + digest(NormalizeLogin(login))
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// StreamRef is a parsed stream name. Only the fields of its Kind are set.
type StreamRef struct {
	Kind        string
	WorkspaceID uuid.UUID // workspace and member streams
	AccountID   uuid.UUID // member and account streams
	Digest      string    // claim streams: hex SHA-256 of the normalized value
}

// ParseStream parses a name made by one of the stream functions above. It accepts only the
// canonical form (lowercase UUIDs, 64 lowercase hex digits), so that one aggregate never
// has two stream names.
func ParseStream(name string) (StreamRef, bool) {
	ref, ok := parseStream(name)
	if !ok {
		return StreamRef{}, false
	}
	return ref, true
}

func parseStream(name string) (StreamRef, bool) {
	for _, kind := range []string{StreamKindEmailClaim, StreamKindLoginClaim} {
		if rest, ok := strings.CutPrefix(name, kind+"-"); ok {
			return StreamRef{Kind: kind, Digest: rest}, tokenHashPattern.MatchString(rest)
		}
	}
	kind, rest, _ := strings.Cut(name, "-")
	switch kind {
	case StreamKindWorkspace:
		id, ok := canonicalUUID(rest)
		return StreamRef{Kind: kind, WorkspaceID: id}, ok
	case StreamKindAccount:
		id, ok := canonicalUUID(rest)
		return StreamRef{Kind: kind, AccountID: id}, ok
	case StreamKindMember:
		return parseMemberStream(rest)
	}
	return StreamRef{}, false
}

const uuidLength = 36

func parseMemberStream(rest string) (StreamRef, bool) {
	if len(rest) != 2*uuidLength+1 || rest[uuidLength] != '-' {
		return StreamRef{}, false
	}
	ws, okWS := canonicalUUID(rest[:uuidLength])
	account, okAccount := canonicalUUID(rest[uuidLength+1:])
	return StreamRef{Kind: StreamKindMember, WorkspaceID: ws, AccountID: account}, okWS && okAccount
}

// canonicalUUID parses s only in the form uuid.UUID.String answers: 36 characters,
// lowercase hex, hyphens at 8, 13, 18 and 23. Checked by hand: read models parse a
// stream name per event, and formatting the id again to compare allocates.
func canonicalUUID(s string) (uuid.UUID, bool) {
	if len(s) != uuidLength {
		return uuid.Nil, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return uuid.Nil, false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return uuid.Nil, false
			}
		}
	}
	id, err := uuid.Parse(s)
	return id, err == nil && id != uuid.Nil
}

// StreamKindsOf answers the kinds of stream that events of eventType are appended to;
// none for a type the domain does not know. A reader that uses no event of a kind can
// leave that kind's streams alone.
func StreamKindsOf(eventType string) []string {
	return streamKindsByType[eventType]
}

var streamKindsByType = func() map[string][]string {
	m := make(map[string][]string)
	on := func(codecs []codec, kinds ...string) {
		for _, c := range codecs {
			m[c.eventType] = kinds
		}
	}
	on(workspaceCodecs, StreamKindWorkspace)
	on(rosterCodecs, StreamKindWorkspace)
	on(accessCodecs, StreamKindMember)
	on(tokenCodecs, StreamKindMember) // recorded on the member's stream
	on(accountCodecs, StreamKindAccount)
	on(claimCodecs, StreamKindEmailClaim, StreamKindLoginClaim)
	return m
}()
