package domain

import "github.com/google/uuid"

// Apply folds one event of the workspace stream into the state. It never fails: events of
// other streams are ignored, and so is anything before workspace.created, so that a
// workspace rebuilt from its stream is exactly the one its decisions saw.
func (w *Workspace) Apply(e Event) {
	if created, ok := e.(WorkspaceCreated); ok && !w.exists {
		w.create(created)
		return
	}
	if !w.exists {
		return
	}
	if !w.applyConfig(e) && !w.applyCatalog(e) && !w.applySpend(e) && !w.applyDeletion(e) {
		w.applyRoster(e)
	}
}

func (w *Workspace) create(e WorkspaceCreated) {
	*w = Workspace{
		exists:     true,
		id:         e.WorkspaceID,
		name:       e.Name,
		seats:      e.Seats,
		owner:      e.OwnerAccountID,
		modules:    map[string]Module{},
		projects:   map[uuid.UUID]CatalogItem{},
		categories: map[uuid.UUID]CatalogItem{},
		visas:      map[uuid.UUID]CatalogItem{},
		clients:    map[uuid.UUID]CatalogItem{},
		roster: map[uuid.UUID]*RosterEntry{
			e.OwnerAccountID: {Status: StatusActive, Role: RoleOwner},
		},
		seatsUsed: 1,
	}
}

func (w *Workspace) applyConfig(e Event) bool {
	switch e := e.(type) {
	case WorkspaceRenamed:
		w.name = e.Name
	case PlanChanged:
		w.seats = e.Seats
	case OwnershipTransferred:
		w.transferOwnership(e)
	case ModuleSet:
		w.modules[e.Module] = Module{Enabled: e.Enabled, MinRole: e.MinRole}
	default:
		return false
	}
	return true
}

func (w *Workspace) transferOwnership(e OwnershipTransferred) {
	w.update(e.From, func(m *RosterEntry) { m.Role = RoleAdmin })
	w.update(e.To, func(m *RosterEntry) { m.Role = RoleOwner })
	w.owner = e.To
}

func (w *Workspace) applyCatalog(e Event) bool {
	switch e := e.(type) {
	case ProjectCreated:
		w.projects[e.ProjectID] = CatalogItem{Name: e.Name}
	case ProjectArchived:
		markRetired(w.projects, e.ProjectID)
	case BookingCategoryDefined:
		w.categories[e.CategoryID] = CatalogItem{Name: e.Name}
	case BookingCategoryRetired:
		markRetired(w.categories, e.CategoryID)
	case VisaDefined:
		w.visas[e.VisaID] = CatalogItem{Name: e.Name}
	case VisaRetired:
		markRetired(w.visas, e.VisaID)
	case ClientRegistered:
		w.clients[e.ClientID] = CatalogItem{Name: e.Name}
	case ClientRetired:
		markRetired(w.clients, e.ClientID)
	default:
		return false
	}
	return true
}

func markRetired(items map[uuid.UUID]CatalogItem, id uuid.UUID) {
	if item, ok := items[id]; ok {
		item.Retired = true
		items[id] = item
	}
}

// update changes an existing roster entry; an event about an unknown member changes nothing.
func (w *Workspace) update(account uuid.UUID, change func(*RosterEntry)) {
	if e, ok := w.roster[account]; ok {
		held := e.Status.HoldsSeat()
		change(e)
		w.seatsUsed += seat(e.Status.HoldsSeat()) - seat(held)
	}
}

// put sets account's roster entry, or removes it when e is nil, keeping the count of
// seats held.
func (w *Workspace) put(account uuid.UUID, e *RosterEntry) {
	if old, ok := w.roster[account]; ok {
		w.seatsUsed -= seat(old.Status.HoldsSeat())
		delete(w.roster, account)
	}
	if e != nil {
		w.roster[account] = e
		w.seatsUsed += seat(e.Status.HoldsSeat())
	}
}

// seat answers 1 for an entry that holds a seat.
func seat(holds bool) int {
	if holds {
		return 1
	}
	return 0
}
