package domain

import (
	"time"

	"github.com/google/uuid"
)

// MaxSeats bounds a plan; anything larger is a typo, not a customer.
const MaxSeats = 1_000_000

// CreateWorkspace creates a workspace with its plan and owner. The caller picks the id.
type CreateWorkspace struct {
	WorkspaceID    uuid.UUID
	Name           string
	Seats          int
	OwnerAccountID uuid.UUID
}

func (c CreateWorkspace) validate() error {
	var v validator
	v.id("workspace_id", c.WorkspaceID)
	v.name("name", c.Name)
	v.seats("seats", c.Seats)
	v.id("owner_account_id", c.OwnerAccountID)
	return v.err()
}

func (v *validator) seats(field string, n int) {
	if n < 1 || n > MaxSeats {
		v.fail(field, "must be between 1 and %d", MaxSeats)
	}
}

// CreateWorkspace starts the workspace, with the owner active on the roster. Only a
// platform admin or the system may create workspaces; a second creation is workspace_exists.
func (w *Workspace) CreateWorkspace(by Actor, cmd CreateWorkspace, now time.Time) ([]Event, error) {
	if err := cmd.validate(); err != nil {
		return nil, err
	}
	if !by.PlatformAdmin && !by.IsSystem() {
		return nil, forbidden("only a platform admin may create workspaces")
	}
	if w.exists {
		return nil, conflict(CodeWorkspaceExists, "workspace %s already exists", w.id)
	}
	return []Event{WorkspaceCreated{WorkspaceID: cmd.WorkspaceID, Name: cmd.Name, Seats: cmd.Seats, OwnerAccountID: cmd.OwnerAccountID}}, nil
}

// RenameWorkspace changes the display name.
type RenameWorkspace struct {
	Name string
}

// RenameWorkspace renames the workspace; admins and above.
func (w *Workspace) RenameWorkspace(by Actor, cmd RenameWorkspace, now time.Time) ([]Event, error) {
	var v validator
	v.name("name", cmd.Name)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := w.requireRole(by, RoleAdmin, "rename the workspace"); err != nil {
		return nil, err
	}
	if cmd.Name == w.name {
		return nil, nil
	}
	return []Event{WorkspaceRenamed{Name: cmd.Name}}, nil
}

// ChangePlan sets the number of license seats.
type ChangePlan struct {
	Seats int
}

// ChangePlan changes the plan; owner only. A plan smaller than the seats in use is
// plan_below_usage: free seats first (deactivate or delete members).
func (w *Workspace) ChangePlan(by Actor, cmd ChangePlan, now time.Time) ([]Event, error) {
	var v validator
	v.seats("seats", cmd.Seats)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := w.requireRole(by, RoleOwner, "change the plan"); err != nil {
		return nil, err
	}
	if used := w.SeatsUsed(); cmd.Seats < used {
		return nil, conflict(CodePlanBelowUsage, "%d seats are in use; a plan of %d is too small", used, cmd.Seats)
	}
	if cmd.Seats == w.seats {
		return nil, nil
	}
	return []Event{PlanChanged{Seats: cmd.Seats}}, nil
}

// TransferOwnership makes another member the owner.
type TransferOwnership struct {
	To uuid.UUID
}

// TransferOwnership hands ownership to an active admin; owner only. The previous owner
// becomes an admin, so the workspace always has exactly one owner.
func (w *Workspace) TransferOwnership(by Actor, cmd TransferOwnership, now time.Time) ([]Event, error) {
	var v validator
	v.id("to", cmd.To)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := w.requireRole(by, RoleOwner, "transfer ownership"); err != nil {
		return nil, err
	}
	if cmd.To == w.owner {
		return nil, nil // already the owner: nothing changes
	}
	target, err := w.onRoster(cmd.To)
	if err != nil {
		return nil, err
	}
	if target.Status != StatusActive || target.Role != RoleAdmin {
		return nil, conflict(CodeInvalidTransition, "ownership goes only to an active admin; the member is a %s %s", target.Status, target.Role)
	}
	return []Event{OwnershipTransferred{From: w.owner, To: cmd.To}}, nil
}

// SetModule configures a module.
type SetModule struct {
	Module  string
	Enabled bool
	MinRole WorkspaceRole
}

func (c SetModule) validate() error {
	var v validator
	v.match("module", c.Module, moduleKeyPattern, "a lowercase key such as booking")
	if !c.MinRole.Valid() {
		v.fail("min_role", "must be a workspace role")
	}
	return v.err()
}

// SetModule enables or disables a module and sets its minimum role; admins and above.
// The users module cannot be changed: user management is always on and admin-only.
func (w *Workspace) SetModule(by Actor, cmd SetModule, now time.Time) ([]Event, error) {
	if err := cmd.validate(); err != nil {
		return nil, err
	}
	if _, err := w.requireRole(by, RoleAdmin, "configure modules"); err != nil {
		return nil, err
	}
	want := Module{Enabled: cmd.Enabled, MinRole: cmd.MinRole}
	current, _ := w.Module(cmd.Module)
	if want == current {
		return nil, nil
	}
	if cmd.Module == ModuleUsers {
		return nil, invalidField("module", "the users module is always enabled and admin-only")
	}
	return []Event{ModuleSet{Module: cmd.Module, Enabled: cmd.Enabled, MinRole: cmd.MinRole}}, nil
}
