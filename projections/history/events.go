package history

import (
	"accessledger/domain"
	"accessledger/projections"
)

// Events implements projections.EventUser: the event types this read model folds into
// its tables, and those it leaves alone. A new event type goes in one list or the other.
func (History) Events() projections.EventUse {
	return projections.EventUse{
		Handled: []string{
			domain.TypeClientLinked,
			domain.TypeClientUnlinked,
			domain.TypeContractInfoSet,
			domain.TypeGrantsCleared,
			domain.TypePermissionsCopied,
			domain.TypePermissionsSet,
			domain.TypeProjectRoleAssigned,
			domain.TypeProjectRoleRemoved,
			domain.TypeScopeSet,
			domain.TypeSecuritySettingsSet,
			domain.TypeVisaExpired,
			domain.TypeVisaGranted,
			domain.TypeVisaRevoked,
			domain.TypeAccessApproved,
			domain.TypeAccessRejected,
			domain.TypeAccessRequested,
			domain.TypeMemberDeleted,
			domain.TypeInvitationAccepted,
			domain.TypeInvitationExpired,
			domain.TypeInvitationRevoked,
			domain.TypeMemberInvited,
			domain.TypeLicenseDeactivated,
			domain.TypeLicenseReactivated,
			domain.TypeMemberPurged,
			domain.TypeMemberReinstated,
			domain.TypeMemberRestored,
			domain.TypeRoleChanged,
			domain.TypeMemberSuspended,
			domain.TypeBookingCategoryDefined,
			domain.TypeBookingCategoryRetired,
			domain.TypeClientRegistered,
			domain.TypeClientRetired,
			domain.TypeWorkspaceCreated,
			domain.TypeModuleSet,
			domain.TypeOwnershipTransferred,
			domain.TypeProjectArchived,
			domain.TypeProjectCreated,
			domain.TypeVisaDefined,
			domain.TypeVisaRetired,
		},
		Ignored: []string{
			domain.TypeAPITokenIssued,
			domain.TypeAPITokenRevoked,
			domain.TypeEmailChanged,
			domain.TypeProfileChanged,
			domain.TypeAccountRegistered,
			domain.TypeClaimed,
			domain.TypeClaimReleased,
			domain.TypeInvitationResent,
			domain.TypeWelcomeEmailSent,
			domain.TypeWorkspaceDeleted,
			domain.TypePlanChanged,
			domain.TypeWorkspacePurged,
			domain.TypeWorkspaceRenamed,
			domain.TypeWorkspaceRestored,
			domain.TypeSpendScopeDefined,
			domain.TypeSpendScopeGrouped,
			domain.TypeSpendScopeUngrouped,
		},
	}
}
