package access

import (
	"slices"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// Events implements projections.EventUser: the event types this read model folds into
// its tables, and those it leaves alone, a family at a time where it treats the whole
// family alike. A new event type goes in one list or the other.
func (AccessCheck) Events() projections.EventUse {
	workspace := []string{
		domain.TypeWorkspaceCreated, domain.TypeOwnershipTransferred, domain.TypeModuleSet,
		domain.TypeProjectCreated, domain.TypeProjectArchived, domain.TypeBookingCategoryRetired,
		domain.TypeVisaRetired,
	}
	return projections.EventUse{
		Handled: slices.Concat(workspace, roster.StepRosterTypes(), domain.AccessEventTypes()),
		Ignored: slices.Concat(
			projections.Without(domain.WorkspaceEventTypes(), workspace...),
			projections.Without(domain.RosterEventTypes(), roster.StepRosterTypes()...),
			domain.TokenEventTypes(),
			domain.AccountEventTypes(),
			domain.ClaimEventTypes(),
		),
	}
}
