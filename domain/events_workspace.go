package domain

import (
	"time"

	"github.com/google/uuid"
)

// Event types of a workspace's configuration, appended to its workspace stream.
const (
	TypeWorkspaceCreated       = "workspace.created"
	TypeWorkspaceRenamed       = "workspace.renamed"
	TypePlanChanged            = "workspace.plan_changed"
	TypeOwnershipTransferred   = "workspace.ownership_transferred"
	TypeModuleSet              = "workspace.module_set"
	TypeProjectCreated         = "workspace.project_created"
	TypeProjectArchived        = "workspace.project_archived"
	TypeBookingCategoryDefined = "workspace.booking_category_defined"
	TypeBookingCategoryRetired = "workspace.booking_category_retired"
	TypeVisaDefined            = "workspace.visa_defined"
	TypeVisaRetired            = "workspace.visa_retired"
	TypeClientRegistered       = "workspace.client_registered"
	TypeClientRetired          = "workspace.client_retired"
	TypeWorkspaceDeleted       = "workspace.deleted"
	TypeWorkspaceRestored      = "workspace.restored"
	TypeWorkspacePurged        = "workspace.purged"
)

var workspaceCodecs = []codec{
	codecFor[WorkspaceCreated](), codecFor[WorkspaceRenamed](), codecFor[PlanChanged](),
	codecFor[OwnershipTransferred](), codecFor[ModuleSet](),
	codecFor[ProjectCreated](), codecFor[ProjectArchived](),
	codecFor[BookingCategoryDefined](), codecFor[BookingCategoryRetired](),
	codecFor[VisaDefined](), codecFor[VisaRetired](),
	codecFor[ClientRegistered](), codecFor[ClientRetired](),
	codecFor[WorkspaceDeleted](), codecFor[WorkspaceRestored](), codecFor[WorkspacePurged](),
	codecFor[SpendScopeDefined](), codecFor[SpendScopeGrouped](), codecFor[SpendScopeUngrouped](), // events_spend.go
}

// WorkspaceCreated starts a workspace: its plan and its owner, who joins the roster active.
// It carries the workspace id so that the stream is self-describing.
type WorkspaceCreated struct {
	WorkspaceID    uuid.UUID `json:"workspace_id"`
	Name           string    `json:"name"`
	Seats          int       `json:"seats"`
	OwnerAccountID uuid.UUID `json:"owner_account_id"`
}

// WorkspaceRenamed gives the workspace a new display name.
type WorkspaceRenamed struct {
	Name string `json:"name"`
}

// PlanChanged sets the number of license seats.
type PlanChanged struct {
	Seats int `json:"seats"`
}

// OwnershipTransferred makes To the owner; From, the previous owner, becomes an admin.
type OwnershipTransferred struct {
	From uuid.UUID `json:"from"`
	To   uuid.UUID `json:"to"`
}

// ModuleSet enables or disables a module and sets the minimum role that may use it.
type ModuleSet struct {
	Module  string        `json:"module"`
	Enabled bool          `json:"enabled"`
	MinRole WorkspaceRole `json:"min_role"`
}

// ProjectCreated defines a project members can be given roles in.
type ProjectCreated struct {
	ProjectID uuid.UUID `json:"project_id"`
	Name      string    `json:"name"`
}

// ProjectArchived closes a project to new grants; existing project roles stay on record.
type ProjectArchived struct {
	ProjectID uuid.UUID `json:"project_id"`
}

// BookingCategoryDefined defines a category of bookable resources.
type BookingCategoryDefined struct {
	CategoryID uuid.UUID `json:"category_id"`
	Name       string    `json:"name"`
}

// BookingCategoryRetired closes a category to new visas.
type BookingCategoryRetired struct {
	CategoryID uuid.UUID `json:"category_id"`
}

// VisaDefined defines a visa, the kind of authorization granted on a category.
type VisaDefined struct {
	VisaID uuid.UUID `json:"visa_id"`
	Name   string    `json:"name"`
}

// VisaRetired closes a visa to new grants.
type VisaRetired struct {
	VisaID uuid.UUID `json:"visa_id"`
}

// ClientRegistered defines a client account members can be linked to.
type ClientRegistered struct {
	ClientID uuid.UUID `json:"client_id"`
	Name     string    `json:"name"`
}

// ClientRetired closes a client to new links.
type ClientRetired struct {
	ClientID uuid.UUID `json:"client_id"`
}

// WorkspaceDeleted closes the workspace to everyone but its history readers, restorably
// until DeletedAt plus RestoreWindow; the roster, plan and catalog stay as they were.
type WorkspaceDeleted struct {
	Reason    string    `json:"reason"`
	DeletedAt time.Time `json:"deleted_at"`
}

// WorkspaceRestored undoes the deletion: the workspace is back exactly as it was deleted.
type WorkspaceRestored struct {
	DeletedAt time.Time `json:"deleted_at"` // of the deletion it undoes
}

// WorkspacePurged ends a deleted workspace for good, once its restore window has passed;
// its history stays.
type WorkspacePurged struct {
	DeletedAt time.Time `json:"deleted_at"` // of the deletion it makes final
}

// EventType implements Event.
func (WorkspaceCreated) EventType() string { return TypeWorkspaceCreated }

// EventType implements Event.
func (WorkspaceRenamed) EventType() string { return TypeWorkspaceRenamed }

// EventType implements Event.
func (PlanChanged) EventType() string { return TypePlanChanged }

// EventType implements Event.
func (OwnershipTransferred) EventType() string { return TypeOwnershipTransferred }

// EventType implements Event.
func (ModuleSet) EventType() string { return TypeModuleSet }

// EventType implements Event.
func (ProjectCreated) EventType() string { return TypeProjectCreated }

// EventType implements Event.
func (ProjectArchived) EventType() string { return TypeProjectArchived }

// EventType implements Event.
func (BookingCategoryDefined) EventType() string { return TypeBookingCategoryDefined }

// EventType implements Event.
func (BookingCategoryRetired) EventType() string { return TypeBookingCategoryRetired }

// EventType implements Event.
func (VisaDefined) EventType() string { return TypeVisaDefined }

// EventType implements Event.
func (VisaRetired) EventType() string { return TypeVisaRetired }

// EventType implements Event.
func (ClientRegistered) EventType() string { return TypeClientRegistered }

// EventType implements Event.
func (ClientRetired) EventType() string { return TypeClientRetired }

// EventType implements Event.
func (WorkspaceDeleted) EventType() string { return TypeWorkspaceDeleted }

// EventType implements Event.
func (WorkspaceRestored) EventType() string { return TypeWorkspaceRestored }

// EventType implements Event.
func (WorkspacePurged) EventType() string { return TypeWorkspacePurged }
