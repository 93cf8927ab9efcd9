package spend

import (
	"slices"

	"accessledger/domain"
	"accessledger/projections"
)

// Events implements projections.EventUser: the event types this read model folds into
// its tables, and those it leaves alone, a family at a time where it treats the whole
// family alike. A new event type goes in one list or the other.
func (SpendScopes) Events() projections.EventUse {
	workspace := []string{
		domain.TypeSpendScopeDefined, domain.TypeSpendScopeGrouped, domain.TypeSpendScopeUngrouped,
	}
	return projections.EventUse{
		Handled: workspace,
		Ignored: slices.Concat(
			projections.Without(domain.WorkspaceEventTypes(), workspace...),
			domain.RosterEventTypes(),
			domain.AccessEventTypes(),
			domain.TokenEventTypes(),
			domain.AccountEventTypes(),
			domain.ClaimEventTypes(),
		),
	}
}
