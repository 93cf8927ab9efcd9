package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// workspaceDecision is the shape of the domain's workspace and roster decisions.
type workspaceDecision[C any] func(*domain.Workspace, domain.Actor, C, time.Time) ([]domain.Event, error)

// memberDecision is the shape of the domain's member access decisions.
type memberDecision[C any] func(*domain.MemberAccess, *domain.Workspace, domain.Actor, C, time.Time) ([]domain.Event, error)

func newWorkspace() aggregate { return &domain.Workspace{} }

// workspaceStep appends to a workspace's stream what decide answers.
func workspaceStep(ws uuid.UUID, name string, decide func(*domain.Workspace, time.Time) ([]domain.Event, error)) step {
	return step{
		name: name, stream: domain.WorkspaceStream(ws), newState: newWorkspace,
		decide: func(state aggregate, now time.Time) ([]domain.Event, error) {
			return decide(state.(*domain.Workspace), now)
		},
	}
}

// onWorkspace runs a one-step workspace command such as (*domain.Workspace).ChangePlan.
func onWorkspace[C any](ctx context.Context, s *Service, meta Meta, ws uuid.UUID, decide workspaceDecision[C], cmd C) (Result, error) {
	meta = meta.withDefaults()
	return s.run(ctx, meta, workspaceStep(ws, "", func(w *domain.Workspace, now time.Time) ([]domain.Event, error) {
		return decide(w, meta.Actor, cmd, now)
	}))
}

// memberStep appends to a member's access stream what decide answers, given the latest
// roster of the member's workspace.
func (s *Service) memberStep(ctx context.Context, ws, account uuid.UUID, name string, decide func(*domain.MemberAccess, *domain.Workspace, time.Time) ([]domain.Event, error)) step {
	return s.memberStepSince(ctx, ws, account, name, time.Time{}, decide)
}

// memberStepSince is memberStep on a roster known to be the latest at since or later: a
// command that appended to the roster itself after since decides its member steps on
// the roster it left, without a read. A zero since reads the roster.
func (s *Service) memberStepSince(ctx context.Context, ws, account uuid.UUID, name string, since time.Time, decide func(*domain.MemberAccess, *domain.Workspace, time.Time) ([]domain.Event, error)) step {
	return step{
		name: name, stream: domain.MemberStream(ws, account),
		newState: func() aggregate { return domain.NewMemberAccess(ws, account) },
		decide: func(state aggregate, now time.Time) ([]domain.Event, error) {
			var events []domain.Event
			var refused error
			err := s.withEntrySince(ctx, workspaceStep(ws, "", nil), since, func(roster *entry) error {
				events, refused = decide(state.(*domain.MemberAccess), roster.state.(*domain.Workspace), now)
				return nil
			})
			if err != nil {
				return nil, err
			}
			return events, refused
		},
	}
}

// onMember runs a one-step member access command such as (*domain.MemberAccess).GrantVisa.
func onMember[C any](ctx context.Context, s *Service, meta Meta, ws, account uuid.UUID, decide memberDecision[C], cmd C) (Result, error) {
	meta = meta.withDefaults()
	return s.run(ctx, meta, s.memberStep(ctx, ws, account, "", func(m *domain.MemberAccess, w *domain.Workspace, now time.Time) ([]domain.Event, error) {
		return decide(m, w, meta.Actor, cmd, now)
	}))
}

// withProjectRoles fills in the actor's own project roles in ws, which project commands
// are authorized by. They are read before the target's lock is taken, so that two
// project admins acting on each other never wait for each other's streams.
func (s *Service) withProjectRoles(ctx context.Context, meta Meta, ws uuid.UUID) (Meta, error) {
	if meta.Actor.IsSystem() || meta.Actor.PlatformAdmin {
		return meta, nil
	}
	own := domain.NewMemberAccess(ws, meta.Actor.AccountID)
	if err := s.snapshot(ctx, domain.MemberStream(ws, meta.Actor.AccountID), own); err != nil {
		return meta, err
	}
	meta.Actor.ProjectRoles = own.ProjectRoles()
	return meta, nil
}

// DerivedID answers the id a command gives to something it creates (a project, a
// category, an account), derived from the command id so that a retry names the same
// thing. kind tells apart several things one command creates.
func DerivedID(command uuid.UUID, kind string) uuid.UUID {
	return uuid.NewSHA1(command, []byte("id\x00"+kind))
}
