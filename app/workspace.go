package app

import (
	"context"

	"github.com/google/uuid"

	"accessledger/domain"
)

// RenameWorkspace renames a workspace.
func (s *Service) RenameWorkspace(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.RenameWorkspace) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).RenameWorkspace, cmd)
}

// ChangePlan changes a workspace's number of seats.
func (s *Service) ChangePlan(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.ChangePlan) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).ChangePlan, cmd)
}

// TransferOwnership hands a workspace to one of its active admins.
func (s *Service) TransferOwnership(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.TransferOwnership) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).TransferOwnership, cmd)
}

// SetModule enables or disables a module and sets its minimum role.
func (s *Service) SetModule(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.SetModule) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).SetModule, cmd)
}

// CreateProject defines a project; DerivedID(command, "project") is a retry-safe id.
func (s *Service) CreateProject(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.CreateProject) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).CreateProject, cmd)
}

// ArchiveProject archives a project.
func (s *Service) ArchiveProject(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.ArchiveProject) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).ArchiveProject, cmd)
}

// DefineBookingCategory defines a booking category.
func (s *Service) DefineBookingCategory(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.DefineBookingCategory) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).DefineBookingCategory, cmd)
}

// RetireBookingCategory retires a booking category.
func (s *Service) RetireBookingCategory(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.RetireBookingCategory) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).RetireBookingCategory, cmd)
}

// DefineVisa defines a booking visa.
func (s *Service) DefineVisa(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.DefineVisa) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).DefineVisa, cmd)
}

// RetireVisa retires a booking visa.
func (s *Service) RetireVisa(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.RetireVisa) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).RetireVisa, cmd)
}

// RegisterClient defines a client account.
func (s *Service) RegisterClient(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.RegisterClient) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).RegisterClient, cmd)
}

// RetireClient retires a client account.
func (s *Service) RetireClient(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.RetireClient) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).RetireClient, cmd)
}
