package domain

// MemberStatus is where a member stands in the lifecycle of docs/domain.md.
type MemberStatus string

// Member statuses. Purged is final.
const (
	StatusInvited     MemberStatus = "invited"
	StatusPending     MemberStatus = "pending"
	StatusActive      MemberStatus = "active"
	StatusSuspended   MemberStatus = "suspended"
	StatusDeactivated MemberStatus = "deactivated"
	StatusDeleted     MemberStatus = "deleted"
	StatusPurged      MemberStatus = "purged"
)

// MemberStatuses answers every status in lifecycle order.
func MemberStatuses() []MemberStatus {
	return []MemberStatus{StatusInvited, StatusPending, StatusActive, StatusSuspended, StatusDeactivated, StatusDeleted, StatusPurged}
}

// Valid reports whether s is one of the statuses.
func (s MemberStatus) Valid() bool {
	switch s {
	case StatusInvited, StatusPending, StatusActive, StatusSuspended, StatusDeactivated, StatusDeleted, StatusPurged:
		return true
	}
	return false
}

// HoldsSeat reports whether a member in this status counts against the plan's seats:
// invited, active and suspended members do; a suspension is temporary, an invitation is a
// promise of a seat.
func (s MemberStatus) HoldsSeat() bool {
	return s == StatusInvited || s == StatusActive || s == StatusSuspended
}

// Frozen reports whether a member's grants and details are read-only in this status:
// deactivated, deleted and purged members keep what they had, untouched, so that a
// reactivation or restore brings it back intact.
func (s MemberStatus) Frozen() bool {
	return s == StatusDeactivated || s == StatusDeleted || s == StatusPurged
}
