package access

import (
	"regexp"
	"strings"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
)

// Kinds of actions an access check asks about.
const (
	ActionLogin   = "login"
	ActionModule  = "module"
	ActionBook    = "book"
	ActionProject = "project"
	ActionFeature = "feature"
	ActionScope   = "scope"
)

// The syntax of action parts, as the domain validates them when they are granted.
var (
	modulePattern  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	featurePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)
	scopePattern   = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}:[a-z0-9][a-z0-9._-]{0,99}$`)
)

// Action is one parsed access-check action. Only the fields of its Kind are set.
type Action struct {
	Kind        string // one of the Action* kinds
	Module      string
	Category    uuid.UUID
	Project     uuid.UUID
	ProjectRole domain.ProjectRole
	Feature     string
	Scope       string
	Level       domain.ScopeLevel // read or write
}

// ParseAction parses an action: login, module:<m>, book:<category id>,
// project:<project id>:<role>, feature:<key>, or scope:<kind:id>:<level> (read or
// write). It answers an error wrapping ErrInvalidQuery for anything else.
func ParseAction(s string) (Action, error) {
	kind, rest, _ := strings.Cut(s, ":")
	switch kind {
	case ActionLogin:
		if s == ActionLogin {
			return Action{Kind: ActionLogin}, nil
		}
	case ActionModule:
		if modulePattern.MatchString(rest) {
			return Action{Kind: ActionModule, Module: rest}, nil
		}
		return Action{}, actionError("module:<m> needs a lowercase module key")
	case ActionBook:
		if id, ok := parseID(rest); ok {
			return Action{Kind: ActionBook, Category: id}, nil
		}
		return Action{}, actionError("book:<category> needs a category UUID")
	case ActionProject:
		return parseProjectAction(rest)
	case ActionFeature:
		if len(rest) <= domain.MaxFeatureKeyLen && featurePattern.MatchString(rest) {
			return Action{Kind: ActionFeature, Feature: rest}, nil
		}
		return Action{}, actionError("feature:<key> needs a dotted lowercase feature key")
	case ActionScope:
		return parseScopeAction(rest)
	}
	return Action{}, actionError("must be login, module:<m>, book:<category>, project:<id>:<role>, feature:<key> or scope:<scope>:<level>")
}

func parseProjectAction(rest string) (Action, error) {
	id, role, _ := strings.Cut(rest, ":")
	project, ok := parseID(id)
	if !ok || !domain.ProjectRole(role).Valid() {
		return Action{}, actionError("project:<id>:<role> needs a project UUID and one of project_admin, contributor, viewer")
	}
	return Action{Kind: ActionProject, Project: project, ProjectRole: domain.ProjectRole(role)}, nil
}

func parseScopeAction(rest string) (Action, error) {
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		return Action{}, actionError("scope:<scope>:<level> needs a level")
	}
	scope, level := rest[:i], domain.ScopeLevel(rest[i+1:])
	if !scopePattern.MatchString(scope) || (level != domain.ScopeRead && level != domain.ScopeWrite) {
		return Action{}, actionError("scope:<scope>:<level> needs a scope such as company:acme and a level read or write")
	}
	return Action{Kind: ActionScope, Scope: scope, Level: level}, nil
}

// String answers the action's canonical form, the key of its rows in the check table.
func (a Action) String() string {
	switch a.Kind {
	case ActionModule:
		return ActionModule + ":" + a.Module
	case ActionBook:
		return ActionBook + ":" + a.Category.String()
	case ActionProject:
		return projectAction(a.Project, a.ProjectRole)
	case ActionFeature:
		return ActionFeature + ":" + a.Feature
	case ActionScope:
		return ScopeAction(a.Scope, a.Level)
	}
	return a.Kind
}

// wildcard answers the row that holds what the workspace role gives for this action, if
// it has one: feature defaults, and every role in a project for the owner and admins.
func (a Action) wildcard() (string, bool) {
	switch a.Kind {
	case ActionFeature:
		return featureWildcard, true
	case ActionProject:
		return projectAll(a.Project), true
	}
	return "", false
}

func projectAction(project uuid.UUID, role domain.ProjectRole) string {
	return ActionProject + ":" + project.String() + ":" + string(role)
}

// projectAll answers the row of every role in project, held by workspace role.
func projectAll(project uuid.UUID) string {
	return ActionProject + ":" + project.String() + projectWildcard
}

// ScopeAction answers the check-table action of a level on a scope: scope:<scope>:<level>.
func ScopeAction(scope string, level domain.ScopeLevel) string {
	return ActionScope + ":" + scope + ":" + string(level)
}

// parseID accepts any UUID spelling uuid.Parse does, except the nil UUID.
func parseID(s string) (uuid.UUID, bool) {
	id, err := uuid.Parse(s)
	return id, err == nil && id != uuid.Nil && !strings.ContainsAny(s, "{}:") && len(s) == 36
}

func actionError(msg string) error {
	return &projections.QueryError{Field: "action", Message: msg}
}
