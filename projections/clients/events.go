package clients

import (
	"slices"

	"accessledger/domain"
	"accessledger/projections"
)

// Events implements projections.EventUser: the event types this read model folds into
// its tables, and those it leaves alone, a family at a time where it treats the whole
// family alike. A new event type goes in one list or the other.
func (ClientLinks) Events() projections.EventUse {
	workspace := []string{domain.TypeClientRegistered, domain.TypeClientRetired}
	access := []string{domain.TypeClientLinked, domain.TypeClientUnlinked, domain.TypeGrantsCleared}
	return projections.EventUse{
		Handled: slices.Concat(workspace, access),
		Ignored: slices.Concat(
			projections.Without(domain.WorkspaceEventTypes(), workspace...),
			domain.RosterEventTypes(),
			projections.Without(domain.AccessEventTypes(), access...),
			domain.TokenEventTypes(),
			domain.AccountEventTypes(),
			domain.ClaimEventTypes(),
		),
	}
}
