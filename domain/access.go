package domain

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
)

// VisaGrant authorizes booking every resource of one category with a visa.
type VisaGrant struct {
	VisaID     uuid.UUID
	ValidUntil time.Time // zero: no end
}

// ValidAt reports whether the grant still authorizes at instant t.
func (g VisaGrant) ValidAt(t time.Time) bool {
	return g.ValidUntil.IsZero() || t.Before(g.ValidUntil)
}

func (g VisaGrant) equal(o VisaGrant) bool {
	return g.VisaID == o.VisaID && g.ValidUntil.Equal(o.ValidUntil)
}

// SecuritySettings are a member's login rules; a day count of 0 turns its rule off.
type SecuritySettings struct {
	MFAEveryLogin            bool
	MFAAfterInactivityDays   int
	BlockAfterInactivityDays int
	PasswordMaxAgeDays       int
}

// ContractInfo records the member's contract and the platform convention they signed.
type ContractInfo struct {
	Reference  string
	EndsOn     string // DateLayout, or empty
	Convention string
}

// MemberAccess is the state of one member stream: everything one account is granted in
// one workspace. Its decisions take the workspace, whose roster says whether the member
// exists, is frozen, and who may act; they never change the workspace.
type MemberAccess struct {
	workspaceID uuid.UUID
	accountID   uuid.UUID
	projects    map[uuid.UUID]ProjectRole
	visas       map[uuid.UUID]VisaGrant // by category
	clients     map[uuid.UUID]bool
	grant, deny []string // sorted, disjoint feature permission overrides
	scopes      map[string]ScopeLevel
	security    SecuritySettings
	contract    ContractInfo
}

// NewMemberAccess answers the empty access of an account in a workspace, to which the
// member stream's events are then applied. Decisions name both ids in their events, so
// always start from here rather than from a zero value.
func NewMemberAccess(workspace, account uuid.UUID) *MemberAccess {
	m := &MemberAccess{workspaceID: workspace, accountID: account}
	m.init()
	return m
}

func (m *MemberAccess) init() {
	m.projects = map[uuid.UUID]ProjectRole{}
	m.visas = map[uuid.UUID]VisaGrant{}
	m.clients = map[uuid.UUID]bool{}
	m.grant, m.deny = []string{}, []string{}
	m.scopes = map[string]ScopeLevel{}
}

// WorkspaceID answers the workspace.
func (m *MemberAccess) WorkspaceID() uuid.UUID { return m.workspaceID }

// AccountID answers the member's account.
func (m *MemberAccess) AccountID() uuid.UUID { return m.accountID }

// ProjectRole answers the member's role in a project.
func (m *MemberAccess) ProjectRole(project uuid.UUID) (ProjectRole, bool) {
	r, ok := m.projects[project]
	return r, ok
}

// ProjectRoles answers a copy of every project role.
func (m *MemberAccess) ProjectRoles() map[uuid.UUID]ProjectRole { return maps.Clone(m.projects) }

// Visa answers the grant on a booking category, expired or not.
func (m *MemberAccess) Visa(category uuid.UUID) (VisaGrant, bool) {
	g, ok := m.visas[category]
	return g, ok
}

// Visas answers a copy of every visa grant, by booking category, expired or not.
func (m *MemberAccess) Visas() map[uuid.UUID]VisaGrant { return maps.Clone(m.visas) }

// Clients answers the linked clients, in a stable order.
func (m *MemberAccess) Clients() []uuid.UUID {
	return slices.SortedFunc(maps.Keys(m.clients), compareUUID)
}

// Overrides answers copies of the granted and denied feature keys.
func (m *MemberAccess) Overrides() (grant, deny []string) {
	return slices.Clone(m.grant), slices.Clone(m.deny)
}

// Scope answers the level on a scope; ScopeNone when never set.
func (m *MemberAccess) Scope(scope string) ScopeLevel {
	if l, ok := m.scopes[scope]; ok {
		return l
	}
	return ScopeNone
}

// Scopes answers a copy of every scope with a level other than none.
func (m *MemberAccess) Scopes() map[string]ScopeLevel { return maps.Clone(m.scopes) }

// Security answers the security settings.
func (m *MemberAccess) Security() SecuritySettings { return m.security }

// Contract answers the contract info.
func (m *MemberAccess) Contract() ContractInfo { return m.contract }

// MayBook reports whether the member may book resources of a category at instant t: the
// booking module is enabled, the member is active on ws's roster, and holds a grant on the
// category, still valid, whose category and visa are not retired.
func (m *MemberAccess) MayBook(ws *Workspace, category uuid.UUID, t time.Time) bool {
	g, ok := m.visas[category]
	return ok && g.ValidAt(t) &&
		ws.HasModule(ModuleBooking) && ws.IsActiveMember(m.accountID) &&
		ws.grantable(categoryCatalog, category) == nil && ws.grantable(visaCatalog, g.VisaID) == nil
}
