package members

import (
	"encoding/json"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// Tables of the members read model that the member detail alone reads: a member's
// settings (feature overrides, security settings and contract as JSON, NULL while never
// set), scopes, and the workspace's projects, which admins and the owner hold by role.
const (
	settingsTable = "members_settings"
	scopesTable   = "members_scopes"
	catalogTable  = "members_workspace_projects"
)

// permissionOverrides is how feature overrides are stored.
type permissionOverrides struct {
	Grant []string `json:"grant"`
	Deny  []string `json:"deny"`
}

// securitySettings is how security settings are stored.
type securitySettings struct {
	MFAEveryLogin            bool `json:"mfa_every_login"`
	MFAAfterInactivityDays   int  `json:"mfa_after_inactivity_days"`
	BlockAfterInactivityDays int  `json:"block_after_inactivity_days"`
	PasswordMaxAgeDays       int  `json:"password_max_age_days"`
}

// contractInfo is how contract info is stored.
type contractInfo struct {
	Reference  string `json:"reference"`
	EndsOn     string `json:"ends_on"`
	Convention string `json:"convention"`
}

// settings is what a batch did to one member's settings: the groups it replaced
// (nil: untouched) and the scopes it set since the last clear (ScopeNone deletes).
type settings struct {
	overrides   *permissionOverrides
	security    *securitySettings
	contract    *contractInfo
	clearScopes bool // a copy replaced every scope
	scopes      map[string]domain.ScopeLevel
}

func newMembersSettings() settings {
	return settings{scopes: map[string]domain.ScopeLevel{}}
}

// applySettings folds a member-stream event about settings into the member's grants.
func (f *fold) applySettings(e domain.Event) {
	switch e := e.(type) {
	case domain.PermissionsSet:
		f.grantsOf(e.WorkspaceID, e.AccountID).settings.overrides = &permissionOverrides{Grant: nonNilKeys(e.Grant), Deny: nonNilKeys(e.Deny)}
	case domain.ScopeSet:
		f.grantsOf(e.WorkspaceID, e.AccountID).settings.scopes[e.Scope] = e.Level
	case domain.SecuritySettingsSet:
		f.grantsOf(e.WorkspaceID, e.AccountID).settings.security = &securitySettings{MFAEveryLogin: e.MFAEveryLogin,
			MFAAfterInactivityDays: e.MFAAfterInactivityDays, BlockAfterInactivityDays: e.BlockAfterInactivityDays, PasswordMaxAgeDays: e.PasswordMaxAgeDays}
	case domain.ContractInfoSet:
		f.grantsOf(e.WorkspaceID, e.AccountID).settings.contract = &contractInfo{Reference: e.Reference, EndsOn: e.EndsOn, Convention: e.Convention}
	}
}

// copied replaces the overrides and scopes with those a copy of permissions gave.
func (s *settings) copied(e domain.PermissionsCopied) {
	s.overrides = &permissionOverrides{Grant: nonNilKeys(e.Grant), Deny: nonNilKeys(e.Deny)}
	s.clearScopes, s.scopes = true, map[string]domain.ScopeLevel{}
	for scope, level := range e.Scopes {
		s.scopes[scope] = level
	}
}

func nonNilKeys(keys []string) []string {
	if keys == nil {
		return []string{}
	}
	return keys
}

// applyCatalog keeps the workspace's projects; it reports whether e was about one.
func (f *fold) applyCatalog(ws uuid.UUID, e domain.Event) bool {
	switch e := e.(type) {
	case domain.ProjectCreated:
		f.projects[roster.Member{WS: ws, Account: e.ProjectID}] = false
	case domain.ProjectArchived:
		f.projects[roster.Member{WS: ws, Account: e.ProjectID}] = true
	default:
		return false
	}
	return true
}

// jsonText answers v as JSON text, nil for a nil group (left as stored).
func jsonText[T any](v *T) *string {
	if v == nil {
		return nil
	}
	data, _ := json.Marshal(v) // plain structs of strings, ints and bools: no error
	s := string(data)
	return &s
}

// queueSettings writes the settings of every member the batch touched, after
// queueGrants' clears: scope clears, scope removals and upserts, then one upsert of the
// setting groups that keeps the groups a member's batch did not replace.
func (f *fold) queueSettings(b *pgx.Batch, schema string) {
	var clearAll, clearScopes []roster.Member
	var ws, acc [][16]byte
	var overrides, security, contract []*string
	var delWS, delAcc, upWS, upAcc [][16]byte
	var delScope, upScope, upLevel []string
	for k, g := range f.grants {
		s := &g.settings
		if g.clearAll {
			clearAll = append(clearAll, k)
		}
		if s.clearScopes {
			clearScopes = append(clearScopes, k)
		}
		for scope, level := range s.scopes {
			if level == domain.ScopeNone {
				delWS, delAcc, delScope = append(delWS, k.WS), append(delAcc, k.Account), append(delScope, scope)
			} else {
				upWS, upAcc, upScope, upLevel = append(upWS, k.WS), append(upAcc, k.Account), append(upScope, scope), append(upLevel, string(level))
			}
		}
		if s.overrides != nil || s.security != nil || s.contract != nil {
			ws, acc = append(ws, k.WS), append(acc, k.Account)
			overrides, security, contract = append(overrides, jsonText(s.overrides)), append(security, jsonText(s.security)), append(contract, jsonText(s.contract))
		}
	}
	settings, scopes := projections.Qualified(schema, settingsTable), projections.Qualified(schema, scopesTable)
	queueClear(b, clearAll, settings, scopes)
	queueClear(b, clearScopes, scopes)
	if len(delWS) > 0 {
		b.Queue("DELETE FROM "+scopes+" t USING unnest($1::uuid[], $2::uuid[], $3::text[]) k(ws, acc, scope) WHERE t.workspace_id = k.ws AND t.account_id = k.acc AND t.scope = k.scope",
			delWS, delAcc, delScope)
	}
	if len(upWS) > 0 {
		b.Queue(`INSERT INTO `+scopes+` SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])
			ON CONFLICT (workspace_id, account_id, scope) DO UPDATE SET level = excluded.level`, upWS, upAcc, upScope, upLevel)
	}
	if len(ws) > 0 {
		b.Queue(`INSERT INTO `+settings+` AS t SELECT k.ws, k.acc, k.o::jsonb, k.s::jsonb, k.c::jsonb
			FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[]) k(ws, acc, o, s, c)
			ON CONFLICT (workspace_id, account_id) DO UPDATE SET overrides = coalesce(excluded.overrides, t.overrides),
			security = coalesce(excluded.security, t.security), contract = coalesce(excluded.contract, t.contract)`,
			ws, acc, overrides, security, contract)
	}
}

// queueCatalog writes the workspace projects the batch created or archived.
func (f *fold) queueCatalog(b *pgx.Batch, schema string) {
	if len(f.projects) == 0 {
		return
	}
	var ws, ids [][16]byte
	var archived []bool
	for k, a := range f.projects {
		ws, ids, archived = append(ws, k.WS), append(ids, k.Account), append(archived, a)
	}
	b.Queue(`INSERT INTO `+projections.Qualified(schema, catalogTable)+` SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::boolean[])
		ON CONFLICT (workspace_id, project_id) DO UPDATE SET archived = excluded.archived`, ws, ids, archived)
}
