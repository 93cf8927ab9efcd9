package app

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// ChangeRole changes a member's workspace role.
func (s *Service) ChangeRole(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.ChangeRole) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).ChangeRole, cmd)
}

// DeactivateLicense deactivates a member's license, freeing its seat.
func (s *Service) DeactivateLicense(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.DeactivateLicense) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).DeactivateLicense, cmd)
}

// ReactivateLicense reactivates a member's license, taking a seat.
func (s *Service) ReactivateLicense(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.ReactivateLicense) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).ReactivateLicense, cmd)
}

// SuspendMember suspends an active member, who keeps the seat.
func (s *Service) SuspendMember(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.SuspendMember) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).SuspendMember, cmd)
}

// ReinstateMember ends a member's suspension.
func (s *Service) ReinstateMember(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.ReinstateMember) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).ReinstateMember, cmd)
}

// DeleteMember deletes a member, restorable for 30 days with every grant.
func (s *Service) DeleteMember(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.DeleteMember) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).DeleteMember, cmd)
}

// RestoreMember brings a deleted member back within 30 days.
func (s *Service) RestoreMember(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.RestoreMember) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).RestoreMember, cmd)
}

// PurgeMember ends a deleted member's membership for good; scheduled work of the system
// actor, after the restore window.
func (s *Service) PurgeMember(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.PurgeMember) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).PurgeMember, cmd)
}

// SendWelcomeEmail records that an active member was sent the welcome email, at most
// once per membership.
func (s *Service) SendWelcomeEmail(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.SendWelcomeEmail) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).SendWelcomeEmail, cmd)
}

// RevokeInvitation withdraws an invitation, freeing its seat, and clears the grants
// given with it, so that a later invitation of the same account starts afresh.
func (s *Service) RevokeInvitation(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.RevokeInvitation) (Result, error) {
	meta = meta.withDefaults()
	res, err := onWorkspace(ctx, s, meta, ws, (*domain.Workspace).RevokeInvitation, cmd)
	if err != nil {
		return res, err
	}
	return s.clearGrants(ctx, meta, ws, cmd.AccountID, res)
}

// ExpireInvitation records that an invitation ran out, freeing its seat, and clears the
// grants given with it, as RevokeInvitation does; scheduled work of the system actor,
// decided at the service's clock, which the scheduler sets to the invitation's expiry.
func (s *Service) ExpireInvitation(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.ExpireInvitation) (Result, error) {
	meta = meta.withDefaults()
	res, err := onWorkspace(ctx, s, meta, ws, (*domain.Workspace).ExpireInvitation, cmd)
	if err != nil {
		return res, err
	}
	// The grants are cleared even when the expiry was recorded before (a run that
	// stopped between the two steps), and left alone when the invitee is still a member.
	cleared, err := s.clearGrants(ctx, meta, ws, cmd.AccountID, res)
	var refused *domain.Error
	if res.Position.IsZero() && errors.As(err, &refused) && refused.Code == domain.CodeInvalidTransition {
		return res, nil
	}
	return cleared, err
}

// RequestAccess puts the calling account on the roster as pending.
func (s *Service) RequestAccess(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.RequestAccess) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).RequestAccess, cmd)
}

// ApproveAccess makes a pending member active with a role, taking a seat.
func (s *Service) ApproveAccess(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.ApproveAccess) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).ApproveAccess, cmd)
}

// RejectAccess turns down a pending member and clears any grants it was given.
func (s *Service) RejectAccess(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.RejectAccess) (Result, error) {
	meta = meta.withDefaults()
	res, err := onWorkspace(ctx, s, meta, ws, (*domain.Workspace).RejectAccess, cmd)
	if err != nil {
		return res, err
	}
	return s.clearGrants(ctx, meta, ws, cmd.AccountID, res)
}

// clearGrants is the second step of ending a membership that never began: it empties
// the member stream and answers the roster step's result, moved to the later position.
// If-Match was the roster's, checked by the first step.
func (s *Service) clearGrants(ctx context.Context, meta Meta, ws, account uuid.UUID, roster Result) (Result, error) {
	cleared, err := s.run(ctx, withoutPrecondition(meta), s.memberStep(ctx, ws, account, "clear-grants",
		func(m *domain.MemberAccess, w *domain.Workspace, now time.Time) ([]domain.Event, error) {
			return m.ClearGrants(w, meta.Actor, now)
		}))
	roster.Position = later(roster.Position, cleared.Position)
	return roster, err
}
