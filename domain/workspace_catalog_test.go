package domain

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

// catalogKind drives the same stories through each of the four catalogs.
type catalogKind struct {
	name    string
	define  func(w *Workspace, by Actor, id uuid.UUID, name string, now time.Time) ([]Event, error)
	retire  func(w *Workspace, by Actor, id uuid.UUID, now time.Time) ([]Event, error)
	defined func(id uuid.UUID, name string) Event
	retired func(id uuid.UUID) Event
}

var catalogKinds = []catalogKind{
	{
		name: "project",
		define: func(w *Workspace, by Actor, id uuid.UUID, name string, now time.Time) ([]Event, error) {
			return w.CreateProject(by, CreateProject{ProjectID: id, Name: name}, now)
		},
		retire: func(w *Workspace, by Actor, id uuid.UUID, now time.Time) ([]Event, error) {
			return w.ArchiveProject(by, ArchiveProject{ProjectID: id}, now)
		},
		defined: func(id uuid.UUID, name string) Event { return ProjectCreated{ProjectID: id, Name: name} },
		retired: func(id uuid.UUID) Event { return ProjectArchived{ProjectID: id} },
	},
	{
		name: "booking category",
		define: func(w *Workspace, by Actor, id uuid.UUID, name string, now time.Time) ([]Event, error) {
			return w.DefineBookingCategory(by, DefineBookingCategory{CategoryID: id, Name: name}, now)
		},
		retire: func(w *Workspace, by Actor, id uuid.UUID, now time.Time) ([]Event, error) {
			return w.RetireBookingCategory(by, RetireBookingCategory{CategoryID: id}, now)
		},
		defined: func(id uuid.UUID, name string) Event { return BookingCategoryDefined{CategoryID: id, Name: name} },
		retired: func(id uuid.UUID) Event { return BookingCategoryRetired{CategoryID: id} },
	},
	{
		name: "visa",
		define: func(w *Workspace, by Actor, id uuid.UUID, name string, now time.Time) ([]Event, error) {
			return w.DefineVisa(by, DefineVisa{VisaID: id, Name: name}, now)
		},
		retire: func(w *Workspace, by Actor, id uuid.UUID, now time.Time) ([]Event, error) {
			return w.RetireVisa(by, RetireVisa{VisaID: id}, now)
		},
		defined: func(id uuid.UUID, name string) Event { return VisaDefined{VisaID: id, Name: name} },
		retired: func(id uuid.UUID) Event { return VisaRetired{VisaID: id} },
	},
	{
		name: "client",
		define: func(w *Workspace, by Actor, id uuid.UUID, name string, now time.Time) ([]Event, error) {
			return w.RegisterClient(by, RegisterClient{ClientID: id, Name: name}, now)
		},
		retire: func(w *Workspace, by Actor, id uuid.UUID, now time.Time) ([]Event, error) {
			return w.RetireClient(by, RetireClient{ClientID: id}, now)
		},
		defined: func(id uuid.UUID, name string) Event { return ClientRegistered{ClientID: id, Name: name} },
		retired: func(id uuid.UUID) Event { return ClientRetired{ClientID: id} },
	},
}

func TestCatalogs(t *testing.T) {
	item := named("catalog item")
	for _, k := range catalogKinds {
		t.Run(k.name, func(t *testing.T) {
			define := func(id uuid.UUID, name string) func(*Workspace, Actor, time.Time) ([]Event, error) {
				return func(w *Workspace, by Actor, now time.Time) ([]Event, error) { return k.define(w, by, id, name, now) }
			}
			retire := func(id uuid.UUID) func(*Workspace, Actor, time.Time) ([]Event, error) {
				return func(w *Workspace, by Actor, now time.Time) ([]Event, error) { return k.retire(w, by, id, now) }
			}
			withItem := slices.Concat(staff(), []Event{k.defined(item, "Item")})
			withRetired := slices.Concat(withItem, []Event{k.retired(item)})
			runRoster(t, []rosterCase{
				{name: "defined", given: staff(), by: byAdmin, when: define(item, "Item"), then: []Event{k.defined(item, "Item")}},
				{name: "defined twice", given: withItem, by: byAdmin, when: define(item, "Other"), err: CodeAlreadyExists},
				{name: "redefined after retiring", given: withRetired, by: byAdmin, when: define(item, "Item"), err: CodeAlreadyExists},
				{name: "without a name", given: staff(), by: byAdmin, when: define(item, ""), err: CodeValidationFailed},
				{name: "without an id", given: staff(), by: byAdmin, when: define(uuid.Nil, "Item"), err: CodeValidationFailed},
				{name: "defined by a manager", given: staff(), by: actorOf(managerID), when: define(item, "Item"), err: CodeForbidden},
				{name: "retired", given: withItem, by: byAdmin, when: retire(item), then: []Event{k.retired(item)}},
				{name: "retired twice", given: withRetired, by: byAdmin, when: retire(item), err: CodeInvalidTransition},
				{name: "retired unknown", given: staff(), by: byAdmin, when: retire(item), err: CodeNotFound},
				{name: "retired by a member", given: withItem, by: actorOf(memberID), when: retire(item), err: CodeForbidden},
			})
		})
	}
}

func TestCatalogReadsKeepRetiredItems(t *testing.T) {
	w := replayWorkspace(slices.Concat(staff(), []Event{ProjectArchived{ProjectID: projectID}}))
	p, ok := w.Project(projectID)
	if !ok || !p.Retired || p.Name != "Atlas" {
		t.Fatalf("archived project reads as %+v, %v", p, ok)
	}
	if c, ok := w.BookingCategory(categoryID); !ok || c.Retired {
		t.Fatalf("category reads as %+v, %v", c, ok)
	}
	if _, ok := w.Visa(named("nothing")); ok {
		t.Fatal("an unknown visa reads as defined")
	}
	if c, ok := w.Client(clientID); !ok || c.Name != "Acme" {
		t.Fatalf("client reads as %+v, %v", c, ok)
	}
}
