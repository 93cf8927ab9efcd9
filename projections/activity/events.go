package activity

import (
	"slices"

	"accessledger/domain"
	"accessledger/projections"
)

// Events implements projections.EventUser: the event types this read model folds into
// its tables, and those it leaves alone, a family at a time where it treats the whole
// family alike. A new event type goes in one list or the other.
func (Activity) Events() projections.EventUse {
	return projections.EventUse{
		Handled: slices.Concat(
			domain.WorkspaceEventTypes(),
			domain.RosterEventTypes(),
			domain.AccessEventTypes(),
			domain.TokenEventTypes(),
		),
		// The log is a workspace's: an account's and a claim's events belong to none.
		Ignored: slices.Concat(
			domain.AccountEventTypes(),
			domain.ClaimEventTypes(),
		),
	}
}
