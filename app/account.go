package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

func newAccount() aggregate { return &domain.Account{} }
func newClaim() aggregate   { return &domain.Claim{} }

// accountStep appends to an account's stream what decide answers.
func accountStep(id uuid.UUID, name string, decide func(*domain.Account, time.Time) ([]domain.Event, error)) step {
	return step{name: name, stream: domain.AccountStream(id), newState: newAccount,
		decide: func(state aggregate, now time.Time) ([]domain.Event, error) {
			return decide(state.(*domain.Account), now)
		}}
}

// claimStep claims (or, with release, frees) a claim stream for account.
func claimStep(stream, name string, account uuid.UUID, takenCode string, release bool) step {
	return step{name: name, stream: stream, newState: newClaim,
		decide: func(state aggregate, _ time.Time) ([]domain.Event, error) {
			if release {
				return state.(*domain.Claim).Release(account)
			}
			return state.(*domain.Claim).Claim(account, takenCode)
		}}
}

// holder answers who holds a claim stream, if anyone. It reads the claim into the
// cache, so that claiming a free email right after is an append without a read.
func (s *Service) holder(ctx context.Context, stream string) (id uuid.UUID, held bool, err error) {
	err = s.withState(ctx, step{stream: stream, newState: newClaim}, func(state aggregate) error {
		id, held = state.(*domain.Claim).Holder()
		return nil
	})
	return id, held, err
}

// RegisterAccount registers an account with a unique email (and login, if given):
// DerivedID(command, "account") is its id. email_taken or login_taken when another
// account holds them.
func (s *Service) RegisterAccount(ctx context.Context, meta Meta, cmd domain.RegisterAccount) (Result, error) {
	meta = meta.withDefaults()
	if cmd.AccountID == uuid.Nil {
		cmd.AccountID = DerivedID(meta.CommandID, "account")
	}
	if _, err := (&domain.Account{}).RegisterAccount(cmd); err != nil {
		return Result{}, err // invalid input: nothing is claimed
	}
	return s.ensureAccount(ctx, meta, cmd)
}

// ensureAccount claims the account's email and login and registers it, each step
// retry-safe; a step already done is skipped. A login already taken releases the email
// claimed for it, so that a failed registration leaves nothing behind.
func (s *Service) ensureAccount(ctx context.Context, meta Meta, cmd domain.RegisterAccount) (Result, error) {
	id := cmd.AccountID
	if _, err := s.run(ctx, meta, claimStep(domain.EmailClaimStream(cmd.Email), "claim-email", id, domain.CodeEmailTaken, false)); err != nil {
		return Result{}, err
	}
	if cmd.Login != "" {
		_, err := s.run(ctx, meta, claimStep(domain.LoginClaimStream(cmd.Login), "claim-login", id, domain.CodeLoginTaken, false))
		if err != nil {
			_, _ = s.run(ctx, meta, claimStep(domain.EmailClaimStream(cmd.Email), "release-email", id, "", true))
			return Result{}, err
		}
	}
	return s.run(ctx, meta, accountStep(id, "register", func(a *domain.Account, _ time.Time) ([]domain.Event, error) {
		if a.Registered() {
			return nil, nil // an earlier run of this command registered it
		}
		return a.RegisterAccount(cmd)
	}))
}

// sharedWorkspaces reads the workspaces through which an actor claims authority over an
// account (an admin of a workspace the account belongs to).
func (s *Service) sharedWorkspaces(ctx context.Context, via []uuid.UUID) ([]*domain.Workspace, error) {
	out := make([]*domain.Workspace, 0, len(via))
	for _, ws := range via {
		w := &domain.Workspace{}
		if err := s.snapshot(ctx, domain.WorkspaceStream(ws), w); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// ChangeProfile changes an account's names and phone; by the account itself, a platform
// admin, or an admin of one of the workspaces in via that the account belongs to.
func (s *Service) ChangeProfile(ctx context.Context, meta Meta, account uuid.UUID, via []uuid.UUID, cmd domain.ChangeProfile) (Result, error) {
	meta = meta.withDefaults()
	shared, err := s.sharedWorkspaces(ctx, via)
	if err != nil {
		return Result{}, err
	}
	return s.run(ctx, meta, accountStep(account, "", func(a *domain.Account, _ time.Time) ([]domain.Event, error) {
		return a.ChangeProfile(meta.Actor, cmd, shared)
	}))
}

// ChangeEmail moves an account to a new email: claim the new one, record the change,
// release the old one. Authority as for ChangeProfile.
func (s *Service) ChangeEmail(ctx context.Context, meta Meta, account uuid.UUID, via []uuid.UUID, cmd domain.ChangeEmail) (Result, error) {
	meta = meta.withDefaults()
	shared, err := s.sharedWorkspaces(ctx, via)
	if err != nil {
		return Result{}, err
	}
	var current domain.Account
	if err := s.snapshot(ctx, domain.AccountStream(account), &current); err != nil {
		return Result{}, err
	}
	// Decide once before claiming anything, so that a refused change claims nothing.
	events, err := current.ChangeEmail(meta.Actor, cmd, shared)
	if err != nil || len(events) == 0 {
		return Result{Stream: domain.AccountStream(account)}, err
	}
	newEmail := events[0].(domain.EmailChanged).NewEmail
	if _, err := s.run(ctx, meta, claimStep(domain.EmailClaimStream(newEmail), "claim-email", account, domain.CodeEmailTaken, false)); err != nil {
		return Result{}, err
	}
	res, err := s.run(ctx, meta, accountStep(account, "change-email", func(a *domain.Account, _ time.Time) ([]domain.Event, error) {
		return a.ChangeEmail(meta.Actor, cmd, shared)
	}))
	if err != nil {
		return res, err
	}
	release, err := s.run(ctx, meta, claimStep(domain.EmailClaimStream(current.Email()), "release-email", account, "", true))
	res.Position = later(res.Position, release.Position)
	return res, err
}
