package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// CreateWorkspace asks for a new workspace and its owner.
type CreateWorkspace struct {
	// WorkspaceID names the workspace; nil gets DerivedID(command, "workspace").
	WorkspaceID uuid.UUID
	Name        string
	Seats       int
	// Owner is the owner's account: an email that already has an account links it,
	// otherwise an account is registered with these details.
	Owner domain.RegisterAccount
}

// CreatedWorkspace is the answer to CreateWorkspace.
type CreatedWorkspace struct {
	Result
	WorkspaceID    uuid.UUID
	OwnerAccountID uuid.UUID
}

// CreateWorkspace creates a workspace with its owner, registering the owner's account
// when the email has none, in one append; platform admins (and the system) only.
func (s *Service) CreateWorkspace(ctx context.Context, meta Meta, cmd CreateWorkspace) (CreatedWorkspace, error) {
	meta = meta.withDefaults()
	if cmd.WorkspaceID == uuid.Nil {
		cmd.WorkspaceID = DerivedID(meta.CommandID, "workspace")
	}
	owner := cmd.Owner
	owner.Email = domain.NormalizeEmail(owner.Email)
	id, registered, err := s.resolveAccount(ctx, meta, owner.Email)
	if err != nil {
		return CreatedWorkspace{}, err
	}
	owner.AccountID = id
	create := domain.CreateWorkspace{WorkspaceID: cmd.WorkspaceID, Name: cmd.Name, Seats: cmd.Seats, OwnerAccountID: id}
	var steps []step
	if !registered {
		if _, err := (&domain.Account{}).RegisterAccount(owner); err != nil {
			return CreatedWorkspace{}, err
		}
		steps = registration(owner)
	}
	// The workspace's step is the main one: If-Match is about its stream.
	steps = append(steps, workspaceStep(cmd.WorkspaceID, "create", func(w *domain.Workspace, now time.Time) ([]domain.Event, error) {
		return w.CreateWorkspace(meta.Actor, create, now)
	}))
	done, err := s.runTogether(ctx, meta, steps...)
	if err != nil {
		return CreatedWorkspace{}, err
	}
	res := done[len(done)-1]
	res.Position = lastPosition(done)
	return CreatedWorkspace{Result: res, WorkspaceID: cmd.WorkspaceID, OwnerAccountID: id}, nil
}
