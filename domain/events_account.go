package domain

import "github.com/google/uuid"

// Event types of accounts and of the claim streams that keep emails and logins unique.
// Account events are the only events that hold personal data.
const (
	TypeAccountRegistered = "account.registered"
	TypeProfileChanged    = "account.profile_changed"
	TypeEmailChanged      = "account.email_changed"
	TypeClaimed           = "claim.claimed"
	TypeClaimReleased     = "claim.released"
)

var accountCodecs = []codec{
	codecFor[AccountRegistered](), codecFor[ProfileChanged](), codecFor[EmailChanged](),
}

var claimCodecs = []codec{codecFor[Claimed](), codecFor[ClaimReleased]()}

// AccountRegistered creates an account. Email and Login are normalized; Login and Phone
// may be empty.
type AccountRegistered struct {
	AccountID uuid.UUID `json:"account_id"`
	Email     string    `json:"email"`
	Login     string    `json:"login,omitempty"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	Phone     string    `json:"phone,omitempty"`
}

// ProfileChanged replaces the account's names and phone.
type ProfileChanged struct {
	AccountID uuid.UUID `json:"account_id"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	Phone     string    `json:"phone"`
}

// EmailChanged replaces the account's email. The claim streams of both addresses are
// updated by the caller, before (new) and after (old) this event.
type EmailChanged struct {
	AccountID uuid.UUID `json:"account_id"`
	OldEmail  string    `json:"old_email"`
	NewEmail  string    `json:"new_email"`
}

// Claimed reserves the stream's email or login for an account. The claimed value itself is
// only in the stream name, as a hash.
type Claimed struct {
	AccountID uuid.UUID `json:"account_id"`
}

// ClaimReleased frees the stream's email or login.
type ClaimReleased struct {
	AccountID uuid.UUID `json:"account_id"`
}

// EventType implements Event.
func (AccountRegistered) EventType() string { return TypeAccountRegistered }

// EventType implements Event.
func (ProfileChanged) EventType() string { return TypeProfileChanged }

// EventType implements Event.
func (EmailChanged) EventType() string { return TypeEmailChanged }

// EventType implements Event.
func (Claimed) EventType() string { return TypeClaimed }

// EventType implements Event.
func (ClaimReleased) EventType() string { return TypeClaimReleased }
