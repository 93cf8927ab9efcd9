package history

import (
	"encoding/json"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// licenseHeld is the value of the license fact while the member holds a seat.
const licenseHeld = "held"

// apply folds one event.
func (f *fold) apply(env *projections.Envelope) {
	f.env = env
	if ws, ok := env.WorkspaceStream(); ok {
		if !f.applyCatalog(ws, env.Payload) {
			f.applyRoster(ws, env.Payload)
		}
		return
	}
	if m, ok := roster.AccessMember(env.Payload); ok {
		f.applyGrant(m, env.Payload)
	}
}

// applyRoster turns each roster entry an event changes into status, role and license facts.
func (f *fold) applyRoster(ws uuid.UUID, e domain.Event) {
	cur := func(a uuid.UUID) roster.Entry { return f.entry(roster.Member{WS: ws, Account: a}) }
	for _, u := range roster.Step(e, cur) {
		m := roster.Member{WS: ws, Account: u.Account}
		if u.Entry.OnRoster() {
			f.set(m, HistoryKindStatus, "", string(u.Entry.Status), nil)
		} else {
			f.unset(m, HistoryKindStatus, "")
		}
		if u.Entry.Role != "" {
			f.set(m, HistoryKindRole, "", string(u.Entry.Role), nil)
		} else {
			f.unset(m, HistoryKindRole, "")
		}
		if u.Entry.Status.HoldsSeat() {
			f.set(m, HistoryKindLicense, "", licenseHeld, nil)
		} else {
			f.unset(m, HistoryKindLicense, "")
		}
	}
}

// applyCatalog keeps the workspace facts; it reports whether the event was one of them.
func (f *fold) applyCatalog(ws uuid.UUID, e domain.Event) bool {
	open := f.workspace(ws)
	set := func(kind string, id uuid.UUID, value string) {
		f.open(open, roster.Member{WS: ws}, factKey{kind, id.String()}, value, nil)
	}
	end := func(kind string, id uuid.UUID) { f.end(open, factKey{kind, id.String()}) }
	switch e := e.(type) {
	case domain.ModuleSet:
		if e.Enabled {
			f.open(open, roster.Member{WS: ws}, factKey{wsModule, e.Module}, string(e.MinRole), nil)
		} else {
			f.end(open, factKey{wsModule, e.Module})
		}
	case domain.ProjectCreated:
		set(wsProject, e.ProjectID, e.Name)
	case domain.ProjectArchived:
		end(wsProject, e.ProjectID)
	case domain.BookingCategoryDefined:
		set(wsCategory, e.CategoryID, e.Name)
	case domain.BookingCategoryRetired:
		end(wsCategory, e.CategoryID)
	case domain.VisaDefined:
		set(wsVisa, e.VisaID, e.Name)
	case domain.VisaRetired:
		end(wsVisa, e.VisaID)
	case domain.ClientRegistered:
		set(wsClient, e.ClientID, e.Name)
	case domain.ClientRetired:
		end(wsClient, e.ClientID)
	default:
		return false
	}
	return true
}

// applyGrant turns a member-stream event into facts.
func (f *fold) applyGrant(m roster.Member, e domain.Event) {
	switch e := e.(type) {
	case domain.ProjectRoleAssigned:
		f.set(m, HistoryKindProject, e.ProjectID.String(), string(e.Role), nil)
	case domain.ProjectRoleRemoved:
		f.unset(m, HistoryKindProject, e.ProjectID.String())
	case domain.VisaGranted:
		f.set(m, HistoryKindVisa, e.CategoryID.String(), e.VisaID.String(), roster.UTC(e.ValidUntil))
	case domain.VisaRevoked:
		f.unset(m, HistoryKindVisa, e.CategoryID.String())
	case domain.VisaExpired:
		f.unset(m, HistoryKindVisa, e.CategoryID.String())
	case domain.ClientLinked:
		f.set(m, HistoryKindClient, e.ClientID.String(), "linked", nil)
	case domain.ClientUnlinked:
		f.unset(m, HistoryKindClient, e.ClientID.String())
	case domain.PermissionsSet:
		f.replace(m, HistoryKindFeature, overrides(e.Grant, e.Deny))
	case domain.ScopeSet:
		if e.Level == domain.ScopeNone {
			f.unset(m, HistoryKindScope, e.Scope)
		} else {
			f.set(m, HistoryKindScope, e.Scope, string(e.Level), nil)
		}
	case domain.PermissionsCopied:
		f.applyCopy(m, e)
	case domain.SecuritySettingsSet:
		f.set(m, HistoryKindSecurity, "", securityJSON(e), nil)
	case domain.ContractInfoSet:
		f.applyContract(m, e)
	case domain.GrantsCleared:
		f.clear(m)
	}
}

// applyContract records each part of the contract information that changed; an empty
// part is no fact.
func (f *fold) applyContract(m roster.Member, e domain.ContractInfoSet) {
	for _, part := range [][2]string{{"reference", e.Reference}, {"ends_on", e.EndsOn}, {"convention", e.Convention}} {
		if part[1] == "" {
			f.unset(m, HistoryKindContract, part[0])
		} else {
			f.set(m, HistoryKindContract, part[0], part[1], nil)
		}
	}
}

func (f *fold) applyCopy(m roster.Member, e domain.PermissionsCopied) {
	projects := map[string]string{}
	for id, role := range e.ProjectRoles {
		projects[id.String()] = string(role)
	}
	f.replace(m, HistoryKindProject, projects)
	f.replace(m, HistoryKindFeature, overrides(e.Grant, e.Deny))
	scopes := map[string]string{}
	for scope, level := range e.Scopes {
		if level != domain.ScopeNone {
			scopes[scope] = string(level)
		}
	}
	f.replace(m, HistoryKindScope, scopes)
}

func overrides(grant, deny []string) map[string]string {
	out := map[string]string{}
	for _, k := range grant {
		out[k] = "grant"
	}
	for _, k := range deny {
		out[k] = "deny"
	}
	return out
}

// securityJSON encodes security settings with fixed keys, so that equal settings
// give equal values and a repeat is no change.
func securityJSON(e domain.SecuritySettingsSet) string {
	doc, _ := json.Marshal(security{e.MFAEveryLogin, e.MFAAfterInactivityDays, e.BlockAfterInactivityDays, e.PasswordMaxAgeDays})
	return string(doc) // a struct of bools and ints always encodes
}

// security is the JSON of a security fact.
type security struct {
	MFAEveryLogin            bool `json:"mfa_every_login"`
	MFAAfterInactivityDays   int  `json:"mfa_after_inactivity_days"`
	BlockAfterInactivityDays int  `json:"block_after_inactivity_days"`
	PasswordMaxAgeDays       int  `json:"password_max_age_days"`
}
