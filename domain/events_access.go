package domain

import (
	"time"

	"github.com/google/uuid"
)

// Event types of one member's grants, appended to the member stream. Every access event
// carries WorkspaceID and AccountID, so that a projection reading the global log needs no
// stream-name parsing to file it.
const (
	TypeProjectRoleAssigned = "access.project_role_assigned"
	TypeProjectRoleRemoved  = "access.project_role_removed"
	TypeVisaGranted         = "access.visa_granted"
	TypeVisaRevoked         = "access.visa_revoked"
	TypeVisaExpired         = "access.visa_expired"
	TypeClientLinked        = "access.client_linked"
	TypeClientUnlinked      = "access.client_unlinked"
	TypePermissionsSet      = "access.permissions_set"
	TypeScopeSet            = "access.scope_set"
	TypePermissionsCopied   = "access.permissions_copied"
	TypeSecuritySettingsSet = "access.security_settings_set"
	TypeContractInfoSet     = "access.contract_info_set"
	TypeGrantsCleared       = "access.grants_cleared"
)

var accessCodecs = []codec{
	codecFor[ProjectRoleAssigned](), codecFor[ProjectRoleRemoved](),
	codecFor[VisaGranted](), codecFor[VisaRevoked](), codecFor[VisaExpired](),
	codecFor[ClientLinked](), codecFor[ClientUnlinked](),
	codecFor[PermissionsSet](), codecFor[ScopeSet](), codecFor[PermissionsCopied](),
	codecFor[SecuritySettingsSet](), codecFor[ContractInfoSet](), codecFor[GrantsCleared](),
}

// ProjectRoleAssigned gives the member Role in a project, replacing any earlier role there.
type ProjectRoleAssigned struct {
	WorkspaceID uuid.UUID   `json:"workspace_id"`
	AccountID   uuid.UUID   `json:"account_id"`
	ProjectID   uuid.UUID   `json:"project_id"`
	Role        ProjectRole `json:"role"`
}

// ProjectRoleRemoved takes the member out of a project.
type ProjectRoleRemoved struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
	ProjectID   uuid.UUID `json:"project_id"`
}

// VisaGranted authorizes booking every resource of a category with a visa, until
// ValidUntil if set. It replaces any earlier grant on the category.
type VisaGranted struct {
	WorkspaceID uuid.UUID  `json:"workspace_id"`
	AccountID   uuid.UUID  `json:"account_id"`
	CategoryID  uuid.UUID  `json:"category_id"`
	VisaID      uuid.UUID  `json:"visa_id"`
	ValidUntil  *time.Time `json:"valid_until,omitempty"`
}

// VisaRevoked withdraws the grant on a category before its time.
type VisaRevoked struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
	CategoryID  uuid.UUID `json:"category_id"`
}

// VisaExpired records that the grant on a category reached its ValidUntil.
type VisaExpired struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
	CategoryID  uuid.UUID `json:"category_id"`
}

// ClientLinked links the member to a client account.
type ClientLinked struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
	ClientID    uuid.UUID `json:"client_id"`
}

// ClientUnlinked removes the member's link to a client account.
type ClientUnlinked struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
	ClientID    uuid.UUID `json:"client_id"`
}

// PermissionsSet replaces the member's feature permission overrides: Grant and Deny are
// sorted, free of duplicates and disjoint.
type PermissionsSet struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
	Grant       []string  `json:"grant"`
	Deny        []string  `json:"deny"`
}

// ScopeSet sets the member's level on one scope; ScopeNone removes it.
type ScopeSet struct {
	WorkspaceID uuid.UUID  `json:"workspace_id"`
	AccountID   uuid.UUID  `json:"account_id"`
	Scope       string     `json:"scope"`
	Level       ScopeLevel `json:"level"`
}

// PermissionsCopied replaces the member's project roles, permission overrides and scopes
// wholesale with those of FromAccountID (the role itself moves by a roster event).
type PermissionsCopied struct {
	WorkspaceID   uuid.UUID                 `json:"workspace_id"`
	AccountID     uuid.UUID                 `json:"account_id"`
	FromAccountID uuid.UUID                 `json:"from_account_id"`
	ProjectRoles  map[uuid.UUID]ProjectRole `json:"project_roles"`
	Grant         []string                  `json:"grant"`
	Deny          []string                  `json:"deny"`
	Scopes        map[string]ScopeLevel     `json:"scopes"`
}

// SecuritySettingsSet replaces the member's security settings; a day count of 0 turns its
// rule off.
type SecuritySettingsSet struct {
	WorkspaceID              uuid.UUID `json:"workspace_id"`
	AccountID                uuid.UUID `json:"account_id"`
	MFAEveryLogin            bool      `json:"mfa_every_login"`
	MFAAfterInactivityDays   int       `json:"mfa_after_inactivity_days"`
	BlockAfterInactivityDays int       `json:"block_after_inactivity_days"`
	PasswordMaxAgeDays       int       `json:"password_max_age_days"`
}

// ContractInfoSet replaces the member's contract and convention details. EndsOn is a
// calendar date (DateLayout) or empty.
type ContractInfoSet struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
	Reference   string    `json:"reference"`
	EndsOn      string    `json:"ends_on,omitempty"`
	Convention  string    `json:"convention"`
}

// EventType implements Event.
func (ProjectRoleAssigned) EventType() string { return TypeProjectRoleAssigned }

// EventType implements Event.
func (ProjectRoleRemoved) EventType() string { return TypeProjectRoleRemoved }

// EventType implements Event.
func (VisaGranted) EventType() string { return TypeVisaGranted }

// EventType implements Event.
func (VisaRevoked) EventType() string { return TypeVisaRevoked }

// EventType implements Event.
func (VisaExpired) EventType() string { return TypeVisaExpired }

// EventType implements Event.
func (ClientLinked) EventType() string { return TypeClientLinked }

// EventType implements Event.
func (ClientUnlinked) EventType() string { return TypeClientUnlinked }

// EventType implements Event.
func (PermissionsSet) EventType() string { return TypePermissionsSet }

// EventType implements Event.
func (ScopeSet) EventType() string { return TypeScopeSet }

// EventType implements Event.
func (PermissionsCopied) EventType() string { return TypePermissionsCopied }

// EventType implements Event.
func (SecuritySettingsSet) EventType() string { return TypeSecuritySettingsSet }

// EventType implements Event.
func (ContractInfoSet) EventType() string { return TypeContractInfoSet }

// GrantsCleared empties the grants and settings of an account whose membership ended
// before it began (a revoked invitation, a rejected request).
type GrantsCleared struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
}

// EventType answers TypeGrantsCleared.
func (GrantsCleared) EventType() string { return TypeGrantsCleared }

// AccessEvent is an event of one member's grants: every event of an access stream. Member
// answers whose grants it changes, so that a reader files it without a switch over the
// types.
type AccessEvent interface {
	Event
	Member() (workspace, account uuid.UUID)
}

// Member implements AccessEvent.
func (e ProjectRoleAssigned) Member() (workspace, account uuid.UUID) {
	return e.WorkspaceID, e.AccountID
}

// Member implements AccessEvent.
func (e ProjectRoleRemoved) Member() (workspace, account uuid.UUID) {
	return e.WorkspaceID, e.AccountID
}

// Member implements AccessEvent.
func (e VisaGranted) Member() (workspace, account uuid.UUID) { return e.WorkspaceID, e.AccountID }

// Member implements AccessEvent.
func (e VisaRevoked) Member() (workspace, account uuid.UUID) { return e.WorkspaceID, e.AccountID }

// Member implements AccessEvent.
func (e VisaExpired) Member() (workspace, account uuid.UUID) { return e.WorkspaceID, e.AccountID }

// Member implements AccessEvent.
func (e ClientLinked) Member() (workspace, account uuid.UUID) { return e.WorkspaceID, e.AccountID }

// Member implements AccessEvent.
func (e ClientUnlinked) Member() (workspace, account uuid.UUID) { return e.WorkspaceID, e.AccountID }

// Member implements AccessEvent.
func (e PermissionsSet) Member() (workspace, account uuid.UUID) { return e.WorkspaceID, e.AccountID }

// Member implements AccessEvent.
func (e ScopeSet) Member() (workspace, account uuid.UUID) { return e.WorkspaceID, e.AccountID }

// Member implements AccessEvent.
func (e PermissionsCopied) Member() (workspace, account uuid.UUID) { return e.WorkspaceID, e.AccountID }

// Member implements AccessEvent.
func (e SecuritySettingsSet) Member() (workspace, account uuid.UUID) {
	return e.WorkspaceID, e.AccountID
}

// Member implements AccessEvent.
func (e ContractInfoSet) Member() (workspace, account uuid.UUID) { return e.WorkspaceID, e.AccountID }

// Member implements AccessEvent.
func (e GrantsCleared) Member() (workspace, account uuid.UUID) { return e.WorkspaceID, e.AccountID }
