package due

import (
	"slices"

	"accessledger/domain"
	"accessledger/projections"
)

// Events implements projections.EventUser: the event types this read model folds into
// its tables, and those it leaves alone, a family at a time where it treats the whole
// family alike. A new event type goes in one list or the other.
func (Due) Events() projections.EventUse {
	workspace := []string{
		domain.TypeWorkspaceDeleted, domain.TypeWorkspaceRestored, domain.TypeWorkspacePurged,
	}
	roster := []string{
		domain.TypeMemberInvited, domain.TypeInvitationAccepted, domain.TypeInvitationResent,
		domain.TypeInvitationRevoked, domain.TypeMemberDeleted, domain.TypeMemberRestored,
		domain.TypeMemberPurged, domain.TypeInvitationExpired,
	}
	access := []string{
		domain.TypeVisaGranted, domain.TypeVisaRevoked, domain.TypeVisaExpired, domain.TypeGrantsCleared,
	}
	return projections.EventUse{
		Handled: slices.Concat(workspace, roster, access),
		Ignored: slices.Concat(
			projections.Without(domain.WorkspaceEventTypes(), workspace...),
			projections.Without(domain.RosterEventTypes(), roster...),
			projections.Without(domain.AccessEventTypes(), access...),
			domain.TokenEventTypes(),
			domain.AccountEventTypes(),
			domain.ClaimEventTypes(),
		),
	}
}
