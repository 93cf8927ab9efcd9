package app

import (
	"context"

	"github.com/google/uuid"

	"accessledger/domain"
)

// DeleteWorkspace deletes a workspace, restorably for domain.RestoreWindow; its owner (or a
// platform admin) only, with a reason. From the append on, every other command into it is
// refused and every query answers as for an unknown workspace (see authorizeRead), in
// this process at once: the gate reads the workspace stream, never a read model.
func (s *Service) DeleteWorkspace(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.DeleteWorkspace) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).DeleteWorkspace, cmd)
}

// RestoreWorkspace brings a deleted workspace back as it was deleted, within
// domain.RestoreWindow; its owner or a platform admin.
func (s *Service) RestoreWorkspace(ctx context.Context, meta Meta, ws uuid.UUID) (Result, error) {
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).RestoreWorkspace, domain.RestoreWorkspace{})
}

// PurgeWorkspace appends workspace.purged to a workspace deleted more than
// domain.RestoreWindow ago: scheduled work, for meta.Actor = domain.SystemActor() only.
//
// It is safe to call again and from several schedulers at once: a purged workspace
// answers a Result with a zero Position and appends nothing, whatever the command id; a
// nil meta.CommandID defaults to one derived from ws, so that retries are also answered
// from the store. Refusals: not_found (unknown workspace), forbidden (not the system),
// invalid_transition (not deleted, restored, or still restorable at the service's clock).
func (s *Service) PurgeWorkspace(ctx context.Context, meta Meta, ws uuid.UUID) (Result, error) {
	if meta.CommandID == uuid.Nil {
		meta.CommandID = uuid.NewSHA1(ws, []byte("purge workspace"))
	}
	return onWorkspace(ctx, s, meta, ws, (*domain.Workspace).PurgeWorkspace, domain.PurgeWorkspace{})
}

// authorizeRead admits by to a query of kind r about subject in w: AuthorizeRead while
// the workspace lives, AuthorizeDeletedRead (its history, for auditors and platform
// admins) once it is deleted, so that no read model needs to know of deletions.
func authorizeRead(w *domain.Workspace, by domain.Actor, r domain.Read, subject uuid.UUID) error {
	if w.Deleted() {
		return w.AuthorizeDeletedRead(by, r)
	}
	return w.AuthorizeRead(by, r, subject)
}
