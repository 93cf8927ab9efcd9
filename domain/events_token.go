package domain

import "github.com/google/uuid"

// Event types that record, in a member's stream, the API tokens issued to the member in
// the workspace and their revocation: the activity log shows who holds credentials and
// since when. They carry the token's id, never the token or its hash.
const (
	TypeAPITokenIssued  = "access.api_token_issued"
	TypeAPITokenRevoked = "access.api_token_revoked"
)

var tokenCodecs = []codec{codecFor[APITokenIssued](), codecFor[APITokenRevoked]()}

// APITokenIssued records that an API token was issued to the member.
type APITokenIssued struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
	TokenID     uuid.UUID `json:"token_id"`
	Name        string    `json:"name"`
}

// EventType implements Event.
func (APITokenIssued) EventType() string { return TypeAPITokenIssued }

// APITokenRevoked records that one of the member's API tokens was revoked.
type APITokenRevoked struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
	TokenID     uuid.UUID `json:"token_id"`
}

// EventType implements Event.
func (APITokenRevoked) EventType() string { return TypeAPITokenRevoked }
