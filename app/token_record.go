package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// RecordToken records in the member's stream of ws that an API token was issued to
// account (issued) or revoked, so that the workspace's activity log shows it; never the
// token itself. The command id derives from meta's, so that a retried issue records once.
func (s *Service) RecordToken(ctx context.Context, meta Meta, ws, account, token uuid.UUID, name string, issued bool) (Result, error) {
	meta = meta.withDefaults()
	kind := "token-revoked"
	if issued {
		kind = "token-issued"
	}
	meta.CommandID = DerivedID(meta.CommandID, kind+"\x00"+token.String())
	return s.run(ctx, meta, s.memberStep(ctx, ws, account, kind, func(*domain.MemberAccess, *domain.Workspace, time.Time) ([]domain.Event, error) {
		if issued {
			return []domain.Event{domain.APITokenIssued{WorkspaceID: ws, AccountID: account, TokenID: token, Name: name}}, nil
		}
		return []domain.Event{domain.APITokenRevoked{WorkspaceID: ws, AccountID: account, TokenID: token}}, nil
	}))
}
