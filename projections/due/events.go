package due

import (
	"accessledger/domain"
	"accessledger/projections"
)

// Events implements projections.EventUser: the event types this read model folds into
// its tables, and those it leaves alone. A new event type goes in one list or the other.
func (Due) Events() projections.EventUse {
	return projections.EventUse{
		Handled: []string{
			domain.TypeGrantsCleared,
			domain.TypeVisaExpired,
			domain.TypeVisaGranted,
			domain.TypeVisaRevoked,
			domain.TypeMemberDeleted,
			domain.TypeInvitationAccepted,
			domain.TypeInvitationExpired,
			domain.TypeInvitationResent,
			domain.TypeInvitationRevoked,
			domain.TypeMemberInvited,
			domain.TypeMemberPurged,
			domain.TypeMemberRestored,
			domain.TypeWorkspaceDeleted,
			domain.TypeWorkspacePurged,
			domain.TypeWorkspaceRestored,
		},
		Ignored: []string{
			domain.TypeAPITokenIssued,
			domain.TypeAPITokenRevoked,
			domain.TypeClientLinked,
			domain.TypeClientUnlinked,
			domain.TypeContractInfoSet,
			domain.TypePermissionsCopied,
			domain.TypePermissionsSet,
			domain.TypeProjectRoleAssigned,
			domain.TypeProjectRoleRemoved,
			domain.TypeScopeSet,
			domain.TypeSecuritySettingsSet,
			domain.TypeEmailChanged,
			domain.TypeProfileChanged,
			domain.TypeAccountRegistered,
			domain.TypeClaimed,
			domain.TypeClaimReleased,
			domain.TypeAccessApproved,
			domain.TypeAccessRejected,
			domain.TypeAccessRequested,
			domain.TypeLicenseDeactivated,
			domain.TypeLicenseReactivated,
			domain.TypeMemberReinstated,
			domain.TypeRoleChanged,
			domain.TypeMemberSuspended,
			domain.TypeWelcomeEmailSent,
			domain.TypeBookingCategoryDefined,
			domain.TypeBookingCategoryRetired,
			domain.TypeClientRegistered,
			domain.TypeClientRetired,
			domain.TypeWorkspaceCreated,
			domain.TypeModuleSet,
			domain.TypeOwnershipTransferred,
			domain.TypePlanChanged,
			domain.TypeProjectArchived,
			domain.TypeProjectCreated,
			domain.TypeWorkspaceRenamed,
			domain.TypeSpendScopeDefined,
			domain.TypeSpendScopeGrouped,
			domain.TypeSpendScopeUngrouped,
			domain.TypeVisaDefined,
			domain.TypeVisaRetired,
		},
	}
}
