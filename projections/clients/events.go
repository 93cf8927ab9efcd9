package clients

import (
	"accessledger/domain"
	"accessledger/projections"
)

// Events implements projections.EventUser: the event types this read model folds into
// its tables, and those it leaves alone. A new event type goes in one list or the other.
func (ClientLinks) Events() projections.EventUse {
	return projections.EventUse{
		Handled: []string{
			domain.TypeClientLinked,
			domain.TypeClientUnlinked,
			domain.TypeGrantsCleared,
			domain.TypeClientRegistered,
			domain.TypeClientRetired,
		},
		Ignored: []string{
			domain.TypeAPITokenIssued,
			domain.TypeAPITokenRevoked,
			domain.TypeContractInfoSet,
			domain.TypePermissionsCopied,
			domain.TypePermissionsSet,
			domain.TypeProjectRoleAssigned,
			domain.TypeProjectRoleRemoved,
			domain.TypeScopeSet,
			domain.TypeSecuritySettingsSet,
			domain.TypeVisaExpired,
			domain.TypeVisaGranted,
			domain.TypeVisaRevoked,
			domain.TypeEmailChanged,
			domain.TypeProfileChanged,
			domain.TypeAccountRegistered,
			domain.TypeClaimed,
			domain.TypeClaimReleased,
			domain.TypeAccessApproved,
			domain.TypeAccessRejected,
			domain.TypeAccessRequested,
			domain.TypeMemberDeleted,
			domain.TypeInvitationAccepted,
			domain.TypeInvitationExpired,
			domain.TypeInvitationResent,
			domain.TypeInvitationRevoked,
			domain.TypeMemberInvited,
			domain.TypeLicenseDeactivated,
			domain.TypeLicenseReactivated,
			domain.TypeMemberPurged,
			domain.TypeMemberReinstated,
			domain.TypeMemberRestored,
			domain.TypeRoleChanged,
			domain.TypeMemberSuspended,
			domain.TypeWelcomeEmailSent,
			domain.TypeBookingCategoryDefined,
			domain.TypeBookingCategoryRetired,
			domain.TypeWorkspaceCreated,
			domain.TypeWorkspaceDeleted,
			domain.TypeModuleSet,
			domain.TypeOwnershipTransferred,
			domain.TypePlanChanged,
			domain.TypeProjectArchived,
			domain.TypeProjectCreated,
			domain.TypeWorkspacePurged,
			domain.TypeWorkspaceRenamed,
			domain.TypeWorkspaceRestored,
			domain.TypeSpendScopeDefined,
			domain.TypeSpendScopeGrouped,
			domain.TypeSpendScopeUngrouped,
			domain.TypeVisaDefined,
			domain.TypeVisaRetired,
		},
	}
}
