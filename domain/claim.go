package domain

import "github.com/google/uuid"

// Claim is the state of one claim stream, which reserves an email or a login for one
// account platform-wide. Claims are appended with expected version "no stream" for the
// first claim, or the exact version after a release, so two concurrent claims of the same
// value cannot both succeed.
type Claim struct {
	owner uuid.UUID
	held  bool
}

// Holder answers the account holding the claim, if any.
func (c *Claim) Holder() (uuid.UUID, bool) { return c.owner, c.held }

// Apply folds one event of the claim stream into the state; other events are ignored.
func (c *Claim) Apply(e Event) {
	switch e := e.(type) {
	case Claimed:
		c.owner, c.held = e.AccountID, true
	case ClaimReleased:
		c.owner, c.held = uuid.Nil, false
	}
}

// Claim reserves the value for account. A free claim (no stream, or released) answers
// claim.claimed; a claim the account already holds answers nothing, so a retried
// multi-step command goes on; a claim held by another account is refused with takenCode
// (CodeEmailTaken or CodeLoginTaken, whichever the stream is about).
func (c *Claim) Claim(account uuid.UUID, takenCode string) ([]Event, error) {
	if err := requireAccount(account); err != nil {
		return nil, err
	}
	switch {
	case !c.held:
		return []Event{Claimed{AccountID: account}}, nil
	case c.owner == account:
		return nil, nil
	default:
		return nil, conflict(takenCode, "already in use by another account")
	}
}

// Release frees the value held by account. A free claim answers nothing; a claim held by
// another account is forbidden, since releasing it would let a third account take what
// the holder still uses.
func (c *Claim) Release(account uuid.UUID) ([]Event, error) {
	if err := requireAccount(account); err != nil {
		return nil, err
	}
	switch {
	case !c.held:
		return nil, nil
	case c.owner != account:
		return nil, forbidden("the claim is held by another account")
	default:
		return []Event{ClaimReleased{AccountID: account}}, nil
	}
}
