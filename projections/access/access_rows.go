package access

import (
	"maps"
	"slices"

	"accessledger/domain"
	"accessledger/projections/roster"
)

// featureDefault reports whether a workspace role may use every feature by default.
//
// Role defaults for feature:<key>: owner and admin may use every feature unless an
// override denies it; manager, member, viewer and auditor may use no feature unless an
// override grants it. The defaults are one wildcard row (feature:*) per owner or admin,
// so that a check stays one indexed read and the table does not list every feature key.
func featureDefault(role domain.WorkspaceRole) bool {
	return role == domain.RoleOwner || role == domain.RoleAdmin
}

// projectRoles answers, for a role held in a project, every role it satisfies:
// project_admin > contributor > viewer. Each becomes a row, so that asking for any of
// them is an exact read.
func projectRoles(held domain.ProjectRole) []domain.ProjectRole {
	switch held {
	case domain.ProjectAdmin:
		return []domain.ProjectRole{domain.ProjectAdmin, domain.ProjectContributor, domain.ProjectViewer}
	case domain.ProjectContributor:
		return []domain.ProjectRole{domain.ProjectContributor, domain.ProjectViewer}
	case domain.ProjectViewer:
		return []domain.ProjectRole{domain.ProjectViewer}
	}
	return nil
}

// module answers a module's configuration; the users module is always enabled
// and admin-only, whatever the workspace's events say.
func (c *config) module(key string) module {
	if key == domain.ModuleUsers {
		return module{Enabled: true, MinRole: domain.RoleAdmin}
	}
	return c.Modules[key]
}

// rowsOf answers the check rows of one member under the workspace's configuration.
// Nothing is allowed unless the member is active: any other member gets only the member
// row, not allowed (checks answer "inactive"); an account off the roster gets no row
// ("not_a_member").
func rowsOf(m *memberState, cfg *config) []Row {
	if !m.entry.OnRoster() {
		return nil
	}
	if m.entry.Status != domain.StatusActive {
		return []Row{{Action: memberAction}}
	}
	role := m.entry.Role
	rows := []Row{{Action: memberAction, Allowed: true}, {Action: ActionLogin, Allowed: true}}
	modules := slices.Sorted(maps.Keys(cfg.Modules))
	if !slices.Contains(modules, domain.ModuleUsers) {
		modules = append(modules, domain.ModuleUsers)
	}
	for _, key := range modules {
		if mod := cfg.module(key); mod.Enabled && role.AtLeast(mod.MinRole) {
			rows = append(rows, Row{Action: ActionModule + ":" + key, Allowed: true})
		}
	}
	rows = append(rows, bookRows(m, cfg)...)
	rows = append(rows, projectAllRows(role, cfg)...)
	for project, held := range m.grants.Projects {
		if cfg.Archived[project] {
			continue // an archived project grants nothing, though the role stays on record
		}
		for _, r := range projectRoles(held) {
			rows = append(rows, Row{Action: projectAction(project, r), Allowed: true})
		}
	}
	return append(rows, featureAndScopeRows(m)...)
}

// projectAllRows answers, for the owner and admins, project:<id>:* for every live
// (created, not archived) project: they hold every project role by their workspace role,
// without a grant, and lose it with that role. One row per project keeps a check one
// indexed read, and a project that is archived or unknown to the workspace grants nothing.
func projectAllRows(role domain.WorkspaceRole, cfg *config) []Row {
	if !role.AtLeast(domain.RoleAdmin) {
		return nil
	}
	rows := make([]Row, 0, len(cfg.Projects))
	for project := range cfg.Projects {
		if !cfg.Archived[project] {
			rows = append(rows, Row{Action: projectAll(project), Allowed: true})
		}
	}
	return rows
}

// bookRows answers book:<category> for every visa that authorizes booking: the
// booking module is enabled for the member's role, and neither the category nor the visa
// is retired. The visa's end goes into valid_until; checks after it answer "expired".
func bookRows(m *memberState, cfg *config) []Row {
	booking := cfg.module(domain.ModuleBooking)
	if !booking.Enabled || !m.entry.Role.AtLeast(booking.MinRole) {
		return nil
	}
	var rows []Row
	for category, v := range m.grants.Visas {
		if cfg.Retired[category] || cfg.Retired[v.Visa] {
			continue
		}
		rows = append(rows, Row{Action: ActionBook + ":" + category.String(), Allowed: true, validUntil: v.Until})
	}
	return rows
}

// featureAndScopeRows answers the feature rows (role default, overrides; a denied key
// is a row that is not allowed, so checks answer "denied") and the scope rows (write
// includes read).
func featureAndScopeRows(m *memberState) []Row {
	var rows []Row
	if featureDefault(m.entry.Role) {
		rows = append(rows, Row{Action: featureWildcard, Allowed: true})
	}
	for _, key := range m.grants.Grant {
		rows = append(rows, Row{Action: ActionFeature + ":" + key, Allowed: true})
	}
	for _, key := range m.grants.Deny {
		rows = append(rows, Row{Action: ActionFeature + ":" + key})
	}
	rows = append(rows, defaultRows(m.grants.Scopes)...) // access_scopes_check.go
	for scope, level := range m.grants.Scopes {
		switch level {
		case domain.ScopeWrite:
			rows = append(rows, Row{Action: ScopeAction(scope, domain.ScopeWrite), Allowed: true})
			rows = append(rows, Row{Action: ScopeAction(scope, domain.ScopeRead), Allowed: true})
		case domain.ScopeRead:
			rows = append(rows, Row{Action: ScopeAction(scope, domain.ScopeRead), Allowed: true})
		}
	}
	return rows
}

// applyGrant folds one member-stream event into a member's grants, as
// domain.MemberAccess.Apply does for the parts checks depend on.
func applyGrant(g *grants, e domain.Event) {
	switch e := e.(type) {
	case domain.ProjectRoleAssigned:
		g.Projects = put(g.Projects, e.ProjectID, e.Role)
	case domain.ProjectRoleRemoved:
		delete(g.Projects, e.ProjectID)
	case domain.VisaGranted:
		g.Visas = put(g.Visas, e.CategoryID, visa{Visa: e.VisaID, Until: roster.UTC(e.ValidUntil)})
	case domain.VisaRevoked:
		delete(g.Visas, e.CategoryID)
	case domain.VisaExpired:
		delete(g.Visas, e.CategoryID)
	case domain.PermissionsSet:
		g.Grant, g.Deny = slices.Clone(e.Grant), slices.Clone(e.Deny)
	case domain.ScopeSet:
		if e.Level == domain.ScopeNone {
			delete(g.Scopes, e.Scope)
		} else {
			g.Scopes = put(g.Scopes, e.Scope, e.Level)
		}
	case domain.PermissionsCopied:
		g.Projects = maps.Clone(e.ProjectRoles)
		g.Grant, g.Deny = slices.Clone(e.Grant), slices.Clone(e.Deny)
		g.Scopes = map[string]domain.ScopeLevel{}
		for scope, level := range e.Scopes {
			if level != domain.ScopeNone {
				g.Scopes[scope] = level
			}
		}
	case domain.GrantsCleared:
		*g = grants{}
	}
}

func put[K comparable, V any](m map[K]V, k K, v V) map[K]V {
	if m == nil {
		m = map[K]V{}
	}
	m[k] = v
	return m
}

// applyConfig folds one workspace-stream event into the workspace's configuration
// and reports whether it changed anything checks depend on.
func applyConfig(c *config, e domain.Event) bool {
	switch e := e.(type) {
	case domain.ProjectCreated:
		c.Projects = put(c.Projects, e.ProjectID, true)
	case domain.ModuleSet:
		c.Modules = put(c.Modules, e.Module, module{Enabled: e.Enabled, MinRole: e.MinRole})
	case domain.ProjectArchived:
		c.Archived = put(c.Archived, e.ProjectID, true)
	case domain.BookingCategoryRetired:
		c.Retired = put(c.Retired, e.CategoryID, true)
	case domain.VisaRetired:
		c.Retired = put(c.Retired, e.VisaID, true)
	default:
		return false
	}
	return true
}
