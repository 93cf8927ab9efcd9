package domain

import (
	"time"

	"github.com/google/uuid"
)

// catalog describes one kind of item the workspace defines and members are granted.
type catalog struct {
	noun       string // "project"
	field      string // the JSON field that names an item: "project_id"
	retireVerb string // what retiring is called for this kind: "archive"
	items      func(*Workspace) map[uuid.UUID]CatalogItem
}

var (
	projectCatalog  = catalog{"project", "project_id", "archive", func(w *Workspace) map[uuid.UUID]CatalogItem { return w.projects }}
	categoryCatalog = catalog{"booking category", "category_id", "retire", func(w *Workspace) map[uuid.UUID]CatalogItem { return w.categories }}
	visaCatalog     = catalog{"visa", "visa_id", "retire", func(w *Workspace) map[uuid.UUID]CatalogItem { return w.visas }}
	clientCatalog   = catalog{"client", "client_id", "retire", func(w *Workspace) map[uuid.UUID]CatalogItem { return w.clients }}
)

func (c catalog) retiredAs() string { return c.retireVerb + "d" }

// define decides the definition of a new item; ids are chosen by the caller and never reused.
func (w *Workspace) define(by Actor, c catalog, id uuid.UUID, name string, event Event) ([]Event, error) {
	var v validator
	v.id(c.field, id)
	v.name("name", name)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := w.requireRole(by, RoleAdmin, "define a "+c.noun); err != nil {
		return nil, err
	}
	if _, exists := c.items(w)[id]; exists {
		return nil, conflict(CodeAlreadyExists, "%s %s already exists", c.noun, id)
	}
	return []Event{event}, nil
}

// retire decides closing an item to new grants; retiring twice is an error, so that a
// client learns its view of the catalog is stale.
func (w *Workspace) retire(by Actor, c catalog, id uuid.UUID, event Event) ([]Event, error) {
	var v validator
	v.id(c.field, id)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := w.requireRole(by, RoleAdmin, c.retireVerb+" a "+c.noun); err != nil {
		return nil, err
	}
	item, ok := c.items(w)[id]
	switch {
	case !ok:
		return nil, notFound("%s %s not found", c.noun, id)
	case item.Retired:
		return nil, conflict(CodeInvalidTransition, "%s %s is already %s", c.noun, id, c.retiredAs())
	}
	return []Event{event}, nil
}

// grantable answers the field error of a reference to an item that a new grant may not
// use, or nil.
func (w *Workspace) grantable(c catalog, id uuid.UUID) *FieldError {
	item, ok := c.items(w)[id]
	switch {
	case !ok:
		return &FieldError{Field: c.field, Message: "no such " + c.noun + " in this workspace"}
	case item.Retired:
		return &FieldError{Field: c.field, Message: "the " + c.noun + " is " + c.retiredAs()}
	}
	return nil
}

// requireGrantable refuses references to catalog items a new grant may not use, naming
// every bad field at once.
func (w *Workspace) requireGrantable(refs ...catalogRef) error {
	var v validator
	for _, r := range refs {
		if fe := w.grantable(r.catalog, r.id); fe != nil {
			v.fields = append(v.fields, *fe)
		}
	}
	return v.err()
}

// catalogRef is one reference a grant makes to the workspace's catalog.
type catalogRef struct {
	catalog catalog
	id      uuid.UUID
}

// CreateProject defines a project.
type CreateProject struct {
	ProjectID uuid.UUID
	Name      string
}

// CreateProject defines a project; admins and above.
func (w *Workspace) CreateProject(by Actor, cmd CreateProject, now time.Time) ([]Event, error) {
	return w.define(by, projectCatalog, cmd.ProjectID, cmd.Name, ProjectCreated{ProjectID: cmd.ProjectID, Name: cmd.Name})
}

// ArchiveProject closes a project to new project roles.
type ArchiveProject struct {
	ProjectID uuid.UUID
}

// ArchiveProject archives a project; admins and above.
func (w *Workspace) ArchiveProject(by Actor, cmd ArchiveProject, now time.Time) ([]Event, error) {
	return w.retire(by, projectCatalog, cmd.ProjectID, ProjectArchived{ProjectID: cmd.ProjectID})
}

// DefineBookingCategory defines a category of bookable resources.
type DefineBookingCategory struct {
	CategoryID uuid.UUID
	Name       string
}

// DefineBookingCategory defines a booking category; admins and above.
func (w *Workspace) DefineBookingCategory(by Actor, cmd DefineBookingCategory, now time.Time) ([]Event, error) {
	return w.define(by, categoryCatalog, cmd.CategoryID, cmd.Name, BookingCategoryDefined{CategoryID: cmd.CategoryID, Name: cmd.Name})
}

// RetireBookingCategory closes a booking category to new visas.
type RetireBookingCategory struct {
	CategoryID uuid.UUID
}

// RetireBookingCategory retires a booking category; admins and above.
func (w *Workspace) RetireBookingCategory(by Actor, cmd RetireBookingCategory, now time.Time) ([]Event, error) {
	return w.retire(by, categoryCatalog, cmd.CategoryID, BookingCategoryRetired{CategoryID: cmd.CategoryID})
}

// DefineVisa defines a visa.
type DefineVisa struct {
	VisaID uuid.UUID
	Name   string
}

// DefineVisa defines a visa; admins and above.
func (w *Workspace) DefineVisa(by Actor, cmd DefineVisa, now time.Time) ([]Event, error) {
	return w.define(by, visaCatalog, cmd.VisaID, cmd.Name, VisaDefined{VisaID: cmd.VisaID, Name: cmd.Name})
}

// RetireVisa closes a visa to new grants.
type RetireVisa struct {
	VisaID uuid.UUID
}

// RetireVisa retires a visa; admins and above.
func (w *Workspace) RetireVisa(by Actor, cmd RetireVisa, now time.Time) ([]Event, error) {
	return w.retire(by, visaCatalog, cmd.VisaID, VisaRetired{VisaID: cmd.VisaID})
}

// RegisterClient defines a client account.
type RegisterClient struct {
	ClientID uuid.UUID
	Name     string
}

// RegisterClient defines a client; admins and above.
func (w *Workspace) RegisterClient(by Actor, cmd RegisterClient, now time.Time) ([]Event, error) {
	return w.define(by, clientCatalog, cmd.ClientID, cmd.Name, ClientRegistered{ClientID: cmd.ClientID, Name: cmd.Name})
}

// RetireClient closes a client to new links.
type RetireClient struct {
	ClientID uuid.UUID
}

// RetireClient retires a client; admins and above.
func (w *Workspace) RetireClient(by Actor, cmd RetireClient, now time.Time) ([]Event, error) {
	return w.retire(by, clientCatalog, cmd.ClientID, ClientRetired{ClientID: cmd.ClientID})
}
