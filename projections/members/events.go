package members

import (
	"slices"

	"accessledger/domain"
	"accessledger/projections"
)

// Events implements projections.EventUser: the event types this read model folds into
// its tables, and those it leaves alone, a family at a time where it treats the whole
// family alike. A new event type goes in one list or the other.
func (Members) Events() projections.EventUse {
	workspace := []string{
		domain.TypeWorkspaceCreated, domain.TypeOwnershipTransferred, domain.TypeProjectCreated,
		domain.TypeProjectArchived,
	}
	return projections.EventUse{
		Handled: slices.Concat(
			workspace,
			domain.RosterEventTypes(),
			domain.AccessEventTypes(),
			domain.AccountEventTypes(),
		),
		Ignored: slices.Concat(
			projections.Without(domain.WorkspaceEventTypes(), workspace...),
			domain.TokenEventTypes(),
			domain.ClaimEventTypes(),
		),
	}
}
