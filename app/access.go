package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// AssignProjectRole gives a member a role in a project. Project admins of that project
// may do it for active members.
func (s *Service) AssignProjectRole(ctx context.Context, meta Meta, ws, account uuid.UUID, cmd domain.AssignProjectRole) (Result, error) {
	meta, err := s.withProjectRoles(ctx, meta, ws)
	if err != nil {
		return Result{}, err
	}
	return onMember(ctx, s, meta, ws, account, (*domain.MemberAccess).AssignProjectRole, cmd)
}

// RemoveFromProject removes a member's role in a project.
func (s *Service) RemoveFromProject(ctx context.Context, meta Meta, ws, account uuid.UUID, cmd domain.RemoveFromProject) (Result, error) {
	meta, err := s.withProjectRoles(ctx, meta, ws)
	if err != nil {
		return Result{}, err
	}
	return onMember(ctx, s, meta, ws, account, (*domain.MemberAccess).RemoveFromProject, cmd)
}

// GrantVisa authorizes a member to book a category's resources.
func (s *Service) GrantVisa(ctx context.Context, meta Meta, ws, account uuid.UUID, cmd domain.GrantVisa) (Result, error) {
	return onMember(ctx, s, meta, ws, account, (*domain.MemberAccess).GrantVisa, cmd)
}

// RevokeVisa withdraws a member's booking authorization on a category.
func (s *Service) RevokeVisa(ctx context.Context, meta Meta, ws, account uuid.UUID, cmd domain.RevokeVisa) (Result, error) {
	return onMember(ctx, s, meta, ws, account, (*domain.MemberAccess).RevokeVisa, cmd)
}

// ExpireVisas records the expiry of a member's visas whose validity has passed; scheduled
// work of the system actor.
func (s *Service) ExpireVisas(ctx context.Context, meta Meta, ws, account uuid.UUID) (Result, error) {
	meta = meta.withDefaults()
	return s.run(ctx, meta, s.memberStep(ctx, ws, account, "", func(m *domain.MemberAccess, _ *domain.Workspace, now time.Time) ([]domain.Event, error) {
		return m.ExpireVisas(meta.Actor, now)
	}))
}

// LinkClient links a member to a client account.
func (s *Service) LinkClient(ctx context.Context, meta Meta, ws, account uuid.UUID, cmd domain.LinkClient) (Result, error) {
	return onMember(ctx, s, meta, ws, account, (*domain.MemberAccess).LinkClient, cmd)
}

// UnlinkClient removes a member's link to a client account.
func (s *Service) UnlinkClient(ctx context.Context, meta Meta, ws, account uuid.UUID, cmd domain.UnlinkClient) (Result, error) {
	return onMember(ctx, s, meta, ws, account, (*domain.MemberAccess).UnlinkClient, cmd)
}

// SetPermissionOverrides replaces a member's grants and denials of features.
func (s *Service) SetPermissionOverrides(ctx context.Context, meta Meta, ws, account uuid.UUID, cmd domain.SetPermissionOverrides) (Result, error) {
	return onMember(ctx, s, meta, ws, account, (*domain.MemberAccess).SetPermissionOverrides, cmd)
}

// SetScopeAccess sets a member's level of access to a scope (a company, a folder).
func (s *Service) SetScopeAccess(ctx context.Context, meta Meta, ws, account uuid.UUID, cmd domain.SetScopeAccess) (Result, error) {
	return onMember(ctx, s, meta, ws, account, (*domain.MemberAccess).SetScopeAccess, cmd)
}

// SetSecuritySettings sets a member's MFA, blocking and password rules.
func (s *Service) SetSecuritySettings(ctx context.Context, meta Meta, ws, account uuid.UUID, cmd domain.SetSecuritySettings) (Result, error) {
	return onMember(ctx, s, meta, ws, account, (*domain.MemberAccess).SetSecuritySettings, cmd)
}

// SetContractInfo sets a member's contract and convention details.
func (s *Service) SetContractInfo(ctx context.Context, meta Meta, ws, account uuid.UUID, cmd domain.SetContractInfo) (Result, error) {
	return onMember(ctx, s, meta, ws, account, (*domain.MemberAccess).SetContractInfo, cmd)
}

// CopyPermissions gives a member another member's role, project roles, permission
// overrides and scopes (not visas or clients). It is two appends, each retry-safe: the
// role on the roster, then the grants on the member's stream.
func (s *Service) CopyPermissions(ctx context.Context, meta Meta, ws, to, from uuid.UUID) (Result, error) {
	meta = meta.withDefaults()
	source := domain.NewMemberAccess(ws, from)
	if err := s.snapshot(ctx, domain.MemberStream(ws, from), source); err != nil {
		return Result{}, err
	}
	copyOf := func(w *domain.Workspace, target *domain.MemberAccess, now time.Time) (roster, access []domain.Event, err error) {
		return domain.CopyPermissions(w, source, target, meta.Actor, now)
	}
	// The target's grants are read without its lock to decide the roster part; the
	// second step decides again on the latest grants.
	target := domain.NewMemberAccess(ws, to)
	if err := s.snapshot(ctx, domain.MemberStream(ws, to), target); err != nil {
		return Result{}, err
	}
	grants := s.memberStep(ctx, ws, to, "copy-grants", func(m *domain.MemberAccess, w *domain.Workspace, now time.Time) ([]domain.Event, error) {
		_, access, err := copyOf(w, m, now)
		return access, err
	})
	// The command answers the member's stream: If-Match is about it, checked before the
	// roster part appends.
	if err := s.precondition(ctx, meta, grants); err != nil {
		return Result{}, err
	}
	first, err := s.run(ctx, withoutPrecondition(meta), workspaceStep(ws, "copy-role", func(w *domain.Workspace, now time.Time) ([]domain.Event, error) {
		roster, _, err := copyOf(w, target, now)
		return roster, err
	}))
	if err != nil {
		return first, err
	}
	second, err := s.run(ctx, meta, grants)
	second.Position = later(first.Position, second.Position)
	return second, err
}
