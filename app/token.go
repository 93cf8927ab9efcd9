package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/google/uuid"

	"accessledger/domain"
)

// invitationPrefix marks invitation tokens, so that one pasted in the wrong place is
// recognisable (as GitHub's token prefixes are).
const invitationPrefix = "alinv_"

// ErrMalformedToken reports an invitation token that is not one this service issues.
var ErrMalformedToken = errors.New("malformed invitation token")

// invitationToken answers the token of an invitation to ws for account made by command:
// the two ids, so that accepting needs no lookup, and a secret derived from the command
// with the service's key, so that a retried invitation answers the same token. Only
// domain.HashToken of it is stored.
func (s *Service) invitationToken(command, ws, account uuid.UUID) string {
	mac := hmac.New(sha256.New, s.tokenKey)
	mac.Write(command[:])
	mac.Write(ws[:])
	mac.Write(account[:])
	raw := make([]byte, 0, 64)
	raw = append(append(append(raw, ws[:]...), account[:]...), mac.Sum(nil)...)
	return invitationPrefix + base64.RawURLEncoding.EncodeToString(raw)
}

// parseInvitationToken answers the workspace and account an invitation token is for.
func parseInvitationToken(token string) (ws, account uuid.UUID, err error) {
	body, ok := strings.CutPrefix(token, invitationPrefix)
	if !ok {
		return ws, account, ErrMalformedToken
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) != 64 {
		return ws, account, ErrMalformedToken
	}
	copy(ws[:], raw[:16])
	copy(account[:], raw[16:32])
	return ws, account, nil
}

// invitationNotFound is the domain's answer to a token that matches no invitation; a
// malformed token gets the same answer, so tokens cannot be probed.
func invitationNotFound() error {
	return &domain.Error{Kind: domain.KindNotFound, Code: domain.CodeInvitationNotFound, Message: "no pending invitation matches this token"}
}
