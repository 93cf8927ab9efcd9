package members

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
)

// Sources of a member's access to a project (ProjectAccess.Source).
const (
	// ProjectAccessExplicit: a project role given to the member.
	ProjectAccessExplicit = "explicit"
	// ProjectAccessRole: every right on every open project, which an active admin or
	// owner holds by the workspace role.
	ProjectAccessRole = "role"
)

// MemberDetail is everything a member may do now: the member row with its grants, and
// its feature overrides, scopes, security settings, contract and effective project access.
type MemberDetail struct {
	Member
	Grant, Deny []string // sorted feature keys; empty when never set
	Scopes      map[string]domain.ScopeLevel
	Security    domain.SecuritySettings
	Contract    domain.ContractInfo
	// ProjectAccess is every project the member may work on, by project id: the
	// explicit roles, and for an active admin or owner every open project of the
	// workspace as project admin by the role (which then stands for the explicit one).
	ProjectAccess []ProjectAccess
}

// ProjectAccess is a member's role in a project and where it comes from.
type ProjectAccess struct {
	ProjectID uuid.UUID
	Role      domain.ProjectRole
	Source    string // ProjectAccessExplicit or ProjectAccessRole
}

// GetMemberDetail answers the member detail of account in ws; false when the account has
// no membership there (never had, revoked, rejected or purged).
func GetMemberDetail(ctx context.Context, q projections.Querier, ws, account uuid.UUID) (_ MemberDetail, _ bool, err error) {
	defer projections.ReadFailed(&err)
	m, found, err := GetMember(ctx, q, ws, account)
	if err != nil || !found {
		return MemberDetail{}, found, err
	}
	d := MemberDetail{Member: m, Grant: []string{}, Deny: []string{}, Scopes: map[string]domain.ScopeLevel{}}
	if err := d.readSettings(ctx, q); err != nil {
		return MemberDetail{}, false, err
	}
	if err := d.readScopes(ctx, q); err != nil {
		return MemberDetail{}, false, err
	}
	if err := d.resolveProjects(ctx, q); err != nil {
		return MemberDetail{}, false, err
	}
	return d, true, nil
}

func (d *MemberDetail) readSettings(ctx context.Context, q projections.Querier) error {
	var overrides, security, contract []byte
	err := q.QueryRow(ctx, "SELECT overrides, security, contract FROM "+projections.Qualified(projections.ReadSchema, settingsTable)+
		" WHERE workspace_id = $1 AND account_id = $2", d.WorkspaceID, d.AccountID).Scan(&overrides, &security, &contract)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the settings of member %s of %s: %w", d.AccountID, d.WorkspaceID, err)
	}
	var o permissionOverrides
	var s securitySettings
	var c contractInfo
	for _, part := range []struct {
		data []byte
		into any
	}{{overrides, &o}, {security, &s}, {contract, &c}} {
		if part.data == nil {
			continue
		}
		if err := json.Unmarshal(part.data, part.into); err != nil {
			return fmt.Errorf("decode the settings of member %s of %s: %w", d.AccountID, d.WorkspaceID, err)
		}
	}
	d.Grant, d.Deny = nonNilKeys(o.Grant), nonNilKeys(o.Deny)
	d.Security = domain.SecuritySettings{MFAEveryLogin: s.MFAEveryLogin, MFAAfterInactivityDays: s.MFAAfterInactivityDays,
		BlockAfterInactivityDays: s.BlockAfterInactivityDays, PasswordMaxAgeDays: s.PasswordMaxAgeDays}
	d.Contract = domain.ContractInfo{Reference: c.Reference, EndsOn: c.EndsOn, Convention: c.Convention}
	return nil
}

func (d *MemberDetail) readScopes(ctx context.Context, q projections.Querier) error {
	rows, err := q.Query(ctx, "SELECT scope, level FROM "+projections.Qualified(projections.ReadSchema, scopesTable)+
		" WHERE workspace_id = $1 AND account_id = $2", d.WorkspaceID, d.AccountID)
	if err != nil {
		return fmt.Errorf("read the scopes of member %s of %s: %w", d.AccountID, d.WorkspaceID, err)
	}
	var scope string
	var level domain.ScopeLevel
	if _, err := pgx.ForEachRow(rows, []any{&scope, &level}, func() error { d.Scopes[scope] = level; return nil }); err != nil {
		return fmt.Errorf("read the scopes of member %s of %s: %w", d.AccountID, d.WorkspaceID, err)
	}
	return nil
}

// resolveProjects sets ProjectAccess: the explicit roles, and every open project by
// role for an active admin or owner.
func (d *MemberDetail) resolveProjects(ctx context.Context, q projections.Querier) error {
	d.ProjectAccess = []ProjectAccess{}
	byRole := d.Status == domain.StatusActive && (d.Role == domain.RoleAdmin || d.Role == domain.RoleOwner)
	if !byRole {
		for _, p := range d.Projects {
			d.ProjectAccess = append(d.ProjectAccess, ProjectAccess{ProjectID: p.ProjectID, Role: p.Role, Source: ProjectAccessExplicit})
		}
		return nil
	}
	rows, err := q.Query(ctx, "SELECT project_id FROM "+projections.Qualified(projections.ReadSchema, catalogTable)+
		" WHERE workspace_id = $1 AND NOT archived ORDER BY project_id", d.WorkspaceID)
	if err != nil {
		return fmt.Errorf("read the projects of %s: %w", d.WorkspaceID, err)
	}
	var id uuid.UUID
	_, err = pgx.ForEachRow(rows, []any{&id}, func() error {
		d.ProjectAccess = append(d.ProjectAccess, ProjectAccess{ProjectID: id, Role: domain.ProjectAdmin, Source: ProjectAccessRole})
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the projects of %s: %w", d.WorkspaceID, err)
	}
	return nil
}
