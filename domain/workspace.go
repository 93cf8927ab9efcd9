package domain

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Well-known module keys.
const (
	// ModuleUsers is the user management module: always enabled, admin-only.
	ModuleUsers = "users"
	// ModuleBooking must be enabled before visas can be granted.
	ModuleBooking = "booking"
)

// Module is one module's configuration in a workspace.
type Module struct {
	Enabled bool
	MinRole WorkspaceRole // the lowest workspace role that may use the module
}

var usersModule = Module{Enabled: true, MinRole: RoleAdmin}

// CatalogItem is a project, booking category, visa or client the workspace defines.
// Retired items (archived, for projects) stay known so that history keeps its names, but
// no new grant may reference them.
type CatalogItem struct {
	Name    string
	Retired bool
}

// RosterEntry is one membership. Times are zero when they do not apply.
type RosterEntry struct {
	Status              MemberStatus
	Role                WorkspaceRole // empty while pending
	TokenHash           string        // of the current invitation, while invited
	InvitationExpiresAt time.Time
	PreviousStatus      MemberStatus // the status before deletion, while deleted
	DeletedAt           time.Time
	SuspendedUntil      time.Time // zero: until reinstated
	WelcomeSent         bool
}

// Workspace is the state of one workspace stream: configuration, catalog and roster. The
// zero value is a workspace that does not exist yet; Apply builds it from its events, and
// its decisions (methods taking an Actor, a command and now) answer new events.
type Workspace struct {
	exists     bool
	id         uuid.UUID
	name       string
	seats      int
	owner      uuid.UUID
	modules    map[string]Module
	projects   map[uuid.UUID]CatalogItem
	categories map[uuid.UUID]CatalogItem
	visas      map[uuid.UUID]CatalogItem
	clients    map[uuid.UUID]CatalogItem
	roster     map[uuid.UUID]*RosterEntry
	seatsUsed  int // the roster entries whose status holds a seat, kept as they change
	spend      map[string]*SpendNode
	deletedAt  time.Time // zero unless deleted (and not restored since)
	purged     bool
}

// Exists reports whether the workspace has been created.
func (w *Workspace) Exists() bool { return w.exists }

// ID answers the workspace id (uuid.Nil before creation).
func (w *Workspace) ID() uuid.UUID { return w.id }

// Name answers the display name.
func (w *Workspace) Name() string { return w.name }

// Seats answers the plan's number of license seats.
func (w *Workspace) Seats() int { return w.seats }

// Owner answers the owner's account id.
func (w *Workspace) Owner() uuid.UUID { return w.owner }

// SeatsUsed counts the members whose status holds a seat. Invitations ask it on every
// decision, so it is kept as the roster changes rather than counted.
func (w *Workspace) SeatsUsed() int { return w.seatsUsed }

// SeatsFree answers the seats left; never below zero.
func (w *Workspace) SeatsFree() int { return max(w.seats-w.SeatsUsed(), 0) }

// Member answers the roster entry of an account, including deleted and purged ones.
func (w *Workspace) Member(account uuid.UUID) (RosterEntry, bool) {
	e, ok := w.roster[account]
	if !ok {
		return RosterEntry{}, false
	}
	return *e, true
}

// MemberIDs answers the accounts on the roster, in a stable order.
func (w *Workspace) MemberIDs() []uuid.UUID {
	return slices.SortedFunc(maps.Keys(w.roster), compareUUID)
}

// IsActiveMember reports whether an account is an active member: the one status in which
// it may log in and use anything.
func (w *Workspace) IsActiveMember(account uuid.UUID) bool {
	e, ok := w.roster[account]
	return ok && e.Status == StatusActive
}

// Module answers a module's configuration; the users module is always enabled and admin-only.
func (w *Workspace) Module(key string) (Module, bool) {
	if key == ModuleUsers {
		return usersModule, true
	}
	m, ok := w.modules[key]
	return m, ok
}

// HasModule reports whether a module is enabled.
func (w *Workspace) HasModule(key string) bool {
	m, _ := w.Module(key)
	return m.Enabled
}

// MayUseModule reports whether an account may use a module: an active member whose role
// reaches the module's minimum role.
func (w *Workspace) MayUseModule(account uuid.UUID, key string) bool {
	m, _ := w.Module(key)
	e, ok := w.roster[account]
	return m.Enabled && ok && e.Status == StatusActive && e.Role.AtLeast(m.MinRole)
}

// Project answers a project by id.
func (w *Workspace) Project(id uuid.UUID) (CatalogItem, bool) { return lookup(w.projects, id) }

// BookingCategory answers a booking category by id.
func (w *Workspace) BookingCategory(id uuid.UUID) (CatalogItem, bool) {
	return lookup(w.categories, id)
}

// Visa answers a visa by id.
func (w *Workspace) Visa(id uuid.UUID) (CatalogItem, bool) { return lookup(w.visas, id) }

// Client answers a client by id.
func (w *Workspace) Client(id uuid.UUID) (CatalogItem, bool) { return lookup(w.clients, id) }

func lookup(items map[uuid.UUID]CatalogItem, id uuid.UUID) (CatalogItem, bool) {
	item, ok := items[id]
	return item, ok
}

func compareUUID(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) }
