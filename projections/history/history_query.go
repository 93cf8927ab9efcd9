package history

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// MemberAccessAt is what a member could do at a time, as the history recorded it.
type MemberAccessAt struct {
	WorkspaceID uuid.UUID
	AccountID   uuid.UUID
	At          time.Time
	Member      bool                // on the roster at At
	Status      domain.MemberStatus // empty when not a member
	Role        domain.WorkspaceRole
	HoldsSeat   bool
	Projects    map[uuid.UUID]ProjectRoleAt
	Visas       map[uuid.UUID]VisaAt // by booking category, only those valid at At
	Clients     []uuid.UUID          // sorted
	Grant, Deny []string             // feature overrides, sorted
	Scopes      map[string]domain.ScopeLevel
	Security    *domain.SecuritySettings // nil when never set (or cleared) at At
	// Modules are the workspace's modules enabled at At, with their minimum role; the
	// users module is always there, admin-only.
	Modules map[string]domain.WorkspaceRole
}

// ProjectRoleAt is a project role held at a time; Archived tells that the project was
// archived then, so the role allowed nothing.
type ProjectRoleAt struct {
	Role     domain.ProjectRole
	Archived bool
}

// VisaAt is a visa held on a category at a time. Bookable tells whether it authorized
// booking then: the member active, the booking module enabled for the member's role, and
// neither the category nor the visa retired.
type VisaAt struct {
	VisaID     uuid.UUID
	ValidUntil *time.Time
	Bookable   bool
}

// validAt is the interval condition on member facts f at time $3.
const validAt = "f.valid_from <= $3 AND (f.ends_at IS NULL OR f.ends_at > $3)"

// AccessAt answers what the account could do in the workspace at t, from one query over
// the intervals: the member facts valid at t and the workspace facts they depend on.
func AccessAt(ctx context.Context, q projections.Querier, ws, account uuid.UUID, t time.Time) (_ MemberAccessAt, err error) {
	defer projections.ReadFailed(&err)
	sql := `WITH m AS (SELECT f.kind, f.key, f.value, f.valid_until FROM ` + projections.Qualified(projections.ReadSchema, factsTable) +
		` f WHERE f.workspace_id = $1 AND f.account_id = $2 AND ` + validAt + `)
	SELECT true, kind, key, value, valid_until FROM m
	UNION ALL
	SELECT false, w.kind, w.key, w.value, NULL FROM ` + projections.Qualified(projections.ReadSchema, workspaceFactsTable) + ` w
	WHERE w.workspace_id = $1 AND w.valid_from <= $3 AND (w.valid_to IS NULL OR w.valid_to > $3) AND (
	      w.kind = 'module'
	   OR (w.kind = 'project' AND w.key IN (SELECT key FROM m WHERE kind = 'project'))
	   OR (w.kind = 'category' AND w.key IN (SELECT key FROM m WHERE kind = 'visa'))
	   OR (w.kind = 'visa' AND w.key IN (SELECT value FROM m WHERE kind = 'visa')))`
	rows, err := q.Query(ctx, sql, [16]byte(ws), [16]byte(account), t)
	if err != nil {
		return MemberAccessAt{}, fmt.Errorf("read access of %s at %s: %w", account, t, err)
	}
	a := MemberAccessAt{WorkspaceID: ws, AccountID: account, At: t, Projects: map[uuid.UUID]ProjectRoleAt{},
		Visas: map[uuid.UUID]VisaAt{}, Clients: []uuid.UUID{}, Grant: []string{}, Deny: []string{},
		Scopes: map[string]domain.ScopeLevel{}, Modules: map[string]domain.WorkspaceRole{domain.ModuleUsers: domain.RoleAdmin}}
	live := map[factKey]bool{}
	var ofMember bool
	var kind, key, value string
	var until *time.Time
	_, err = pgx.ForEachRow(rows, []any{&ofMember, &kind, &key, &value, &until}, func() error {
		if !ofMember {
			live[factKey{kind, key}] = true
			if kind == wsModule {
				a.Modules[key] = domain.WorkspaceRole(value)
			}
			return nil
		}
		return a.add(kind, key, value, until)
	})
	if err != nil {
		return MemberAccessAt{}, fmt.Errorf("read access of %s at %s: %w", account, t, err)
	}
	a.resolve(live)
	return a, nil
}

// add sets one member fact.
func (a *MemberAccessAt) add(kind, key, value string, until *time.Time) error {
	switch kind {
	case HistoryKindStatus:
		a.Member, a.Status = true, domain.MemberStatus(value)
	case HistoryKindRole:
		a.Role = domain.WorkspaceRole(value)
	case HistoryKindLicense:
		a.HoldsSeat = true
	case HistoryKindProject:
		a.Projects[uuid.MustParse(key)] = ProjectRoleAt{Role: domain.ProjectRole(value)}
	case HistoryKindVisa:
		if until != nil {
			u := until.UTC()
			until = &u
		}
		a.Visas[uuid.MustParse(key)] = VisaAt{VisaID: uuid.MustParse(value), ValidUntil: until}
	case HistoryKindClient:
		a.Clients = append(a.Clients, uuid.MustParse(key))
	case HistoryKindFeature:
		if value == "deny" {
			a.Deny = append(a.Deny, key)
		} else {
			a.Grant = append(a.Grant, key)
		}
	case HistoryKindScope:
		a.Scopes[key] = domain.ScopeLevel(value)
	case HistoryKindSecurity:
		var s security
		if err := json.Unmarshal([]byte(value), &s); err != nil {
			return fmt.Errorf("decode security settings: %w", err)
		}
		a.Security = &domain.SecuritySettings{MFAEveryLogin: s.MFAEveryLogin, MFAAfterInactivityDays: s.MFAAfterInactivityDays,
			BlockAfterInactivityDays: s.BlockAfterInactivityDays, PasswordMaxAgeDays: s.PasswordMaxAgeDays}
	}
	return nil
}

// resolve derives what depends on the workspace facts live at the time, and sorts lists.
func (a *MemberAccessAt) resolve(live map[factKey]bool) {
	for id, p := range a.Projects {
		p.Archived = !live[factKey{wsProject, id.String()}]
		a.Projects[id] = p
	}
	min, enabled := a.Modules[domain.ModuleBooking]
	for category, v := range a.Visas {
		v.Bookable = a.Status == domain.StatusActive && enabled && a.Role.AtLeast(min) &&
			live[factKey{wsCategory, category.String()}] && live[factKey{wsVisa, v.VisaID.String()}]
		a.Visas[category] = v
	}
	slices.SortFunc(a.Clients, func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
	slices.Sort(a.Grant)
	slices.Sort(a.Deny)
}

// Booker is a member who could book a category at a time.
type Booker struct {
	AccountID  uuid.UUID
	Role       domain.WorkspaceRole
	VisaID     uuid.UUID
	ValidUntil *time.Time
}

// BookersAt answers who could book the category at t, by account id, in one query: members
// active at t, holding a visa on the category valid at t (not revoked, expired or past its
// valid_until), with the booking module enabled at t for their role, and neither the
// category nor the visa retired at t.
func BookersAt(ctx context.Context, q projections.Querier, ws, category uuid.UUID, t time.Time) (_ []Booker, err error) {
	defer projections.ReadFailed(&err)
	facts, wsFacts := projections.Qualified(projections.ReadSchema, factsTable), projections.Qualified(projections.ReadSchema, workspaceFactsTable)
	valid := func(a string) string {
		return a + ".valid_from <= $3 AND (" + a + ".ends_at IS NULL OR " + a + ".ends_at > $3)"
	}
	wsValid := func(a string) string {
		return a + ".valid_from <= $3 AND (" + a + ".valid_to IS NULL OR " + a + ".valid_to > $3)"
	}
	sql := `SELECT v.account_id, r.value, v.value::uuid, v.valid_until FROM ` + facts + ` v
	JOIN ` + facts + ` s ON s.workspace_id = v.workspace_id AND s.account_id = v.account_id AND s.kind = 'status' AND s.key = '' AND ` + valid("s") + `
	JOIN ` + facts + ` r ON r.workspace_id = v.workspace_id AND r.account_id = v.account_id AND r.kind = 'role' AND r.key = '' AND ` + valid("r") + `
	JOIN ` + wsFacts + ` mo ON mo.workspace_id = v.workspace_id AND mo.kind = 'module' AND mo.key = 'booking' AND ` + wsValid("mo") + `
	JOIN ` + wsFacts + ` c ON c.workspace_id = v.workspace_id AND c.kind = 'category' AND c.key = v.key AND ` + wsValid("c") + `
	JOIN ` + wsFacts + ` vi ON vi.workspace_id = v.workspace_id AND vi.kind = 'visa' AND vi.key = v.value AND ` + wsValid("vi") + `
	WHERE v.workspace_id = $1 AND v.kind = 'visa' AND v.key = $2 AND ` + valid("v") + `
	  AND s.value = 'active' AND ` + roster.RoleRankSQL("r.value") + ` >= ` + roster.RoleRankSQL("mo.value") + `
	ORDER BY v.account_id`
	rows, err := q.Query(ctx, sql, [16]byte(ws), category.String(), t)
	if err != nil {
		return nil, fmt.Errorf("list bookers of %s at %s: %w", category, t, err)
	}
	out := []Booker{}
	var b Booker
	_, err = pgx.ForEachRow(rows, []any{&b.AccountID, &b.Role, &b.VisaID, &b.ValidUntil}, func() error {
		if b.ValidUntil != nil {
			u := b.ValidUntil.UTC()
			b.ValidUntil = &u
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list bookers of %s at %s: %w", category, t, err)
	}
	return out, nil
}
