package app

import (
	"context"

	"github.com/google/uuid"

	"accessledger/domain"
)

// DefineSpendScope defines a provider, cloud account, subscription or spend group of a
// workspace's spend data; the same definition again changes nothing.
func (s *Service) DefineSpendScope(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.DefineSpendScope) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).DefineSpendScope, cmd)
}

// GroupSpendScope assigns a cloud account or subscription to a spend group, or takes it
// out of one.
func (s *Service) GroupSpendScope(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.GroupSpendScope) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).GroupSpendScope, cmd)
}
