package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/eventstore"
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

// ensureAccount claims the account's email and login and registers it, in one append:
// an email or login that another account holds refuses it whole. A step already done
// (by an earlier run of the command) does nothing.
func (s *Service) ensureAccount(ctx context.Context, meta Meta, cmd domain.RegisterAccount) (Result, error) {
	done, err := s.runTogether(ctx, meta, registration(cmd)...)
	if err != nil {
		return Result{}, err
	}
	res := done[len(done)-1]
	res.Position = lastPosition(done)
	return res, nil
}

// registration answers the steps that register an account: its claims, then its own
// stream. A workspace's step may follow them (the package's lock order).
func registration(cmd domain.RegisterAccount) []step {
	id := cmd.AccountID
	steps := []step{claimStep(domain.EmailClaimStream(cmd.Email), "claim-email", id, domain.CodeEmailTaken, false)}
	if cmd.Login != "" {
		steps = append(steps, claimStep(domain.LoginClaimStream(cmd.Login), "claim-login", id, domain.CodeLoginTaken, false))
	}
	return append(steps, accountStep(id, "register", func(a *domain.Account, _ time.Time) ([]domain.Event, error) {
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

// AccountPatch changes some of an account's details in one command; a nil field keeps
// the value the account's stream holds when the command is decided. An empty Phone
// removes the phone.
type AccountPatch struct {
	FirstName, LastName, Phone, Email *string
}

// decide answers the events of the patch on a: the profile change and the email
// change, decided together. Validation comes first and names every invalid field of
// both at once; then authority, which both decide alike: domain.AuthorizeAccountChange,
// under which an admin whose every membership of the account is frozen gets
// member_frozen (the account's own checks admit reading, not changing, such a member).
func (p AccountPatch) decide(a *domain.Account, by domain.Actor, shared []*domain.Workspace) ([]domain.Event, error) {
	if !a.Registered() {
		return nil, domain.NotFound("account %s not found", a.ID())
	}
	profile := a.Profile()
	keep(&profile.FirstName, p.FirstName)
	keep(&profile.LastName, p.LastName)
	keep(&profile.Phone, p.Phone)
	events, profileErr := a.ChangeProfile(by, domain.ChangeProfile(profile), shared)
	var emailErr error
	if p.Email != nil {
		var changed []domain.Event
		changed, emailErr = a.ChangeEmail(by, domain.ChangeEmail{Email: *p.Email}, shared)
		events = append(events, changed...)
	}
	authErr := domain.AuthorizeAccountChange(by, a.ID(), shared)
	var fields []domain.FieldError
	for _, err := range []error{profileErr, emailErr} {
		var de *domain.Error
		if errors.As(err, &de) && de.Kind == domain.KindValidation {
			fields = append(fields, de.Fields...)
		}
	}
	switch {
	case len(fields) > 0:
		return nil, &domain.Error{Kind: domain.KindValidation, Code: domain.CodeValidationFailed, Message: "the command has invalid fields", Fields: fields}
	case authErr != nil:
		return nil, authErr
	case profileErr != nil:
		return nil, profileErr
	case emailErr != nil:
		return nil, emailErr
	}
	return events, nil
}

// keep sets *dst to *v, unless v is nil: the field was left out.
func keep(dst, v *string) {
	if v != nil {
		*dst = *v
	}
}

// ChangeAccount applies a patch to an account whole or not at all; by the account
// itself, a platform admin, or an admin of one of the workspaces in via whose membership
// of the account may be edited (member_frozen when every one the admin reaches is
// deactivated or deleted).
//
// Everything is decided before anything is appended (every field, authority, If-Match).
// Then the new email, if any, is claimed: the one step that may still be refused
// (email_taken), and it comes first, so that a refusal leaves the account as it was.
// The profile and email changes follow in one append to the account, and the old
// email is released. A retry with the same command id completes a run that stopped
// half-way.
func (s *Service) ChangeAccount(ctx context.Context, meta Meta, account uuid.UUID, via []uuid.UUID, patch AccountPatch) (Result, error) {
	meta = meta.withDefaults()
	shared, err := s.sharedWorkspaces(ctx, via)
	if err != nil {
		return Result{}, err
	}
	st := accountStep(account, "change", func(a *domain.Account, _ time.Time) ([]domain.Event, error) {
		return patch.decide(a, meta.Actor, shared)
	})
	plan, err := s.planAccountChange(ctx, meta, st)
	if err != nil {
		return Result{}, err
	}
	side := withoutPrecondition(meta)
	if plan.claim != "" {
		if _, err := s.run(ctx, side, claimStep(domain.EmailClaimStream(plan.claim), "claim-email", account, domain.CodeEmailTaken, false)); err != nil {
			return Result{}, err
		}
	}
	res, err := s.run(ctx, meta, st)
	if err != nil || plan.release == "" {
		return res, err
	}
	release, err := s.run(ctx, side, claimStep(domain.EmailClaimStream(plan.release), "release-email", account, "", true))
	res.Position = later(res.Position, release.Position)
	return res, err
}

// accountChange is what the dry run of ChangeAccount found to do around the account's
// own append: an email to claim before it and one to release after.
type accountChange struct{ claim, release string }

// planAccountChange decides an account change on the latest state without appending.
// For a retry whose account append is done, it answers only the release that may
// still be missing.
func (s *Service) planAccountChange(ctx context.Context, meta Meta, st step) (accountChange, error) {
	var plan accountChange
	err := s.dryRun(ctx, meta, st, func(state aggregate, done *Result) error {
		if done != nil {
			old, err := s.emailLeftBy(ctx, meta.CommandID, *done)
			plan.release = old
			return err
		}
		events, err := st.decide(state, s.clock())
		for _, ev := range events {
			if changed, ok := ev.(domain.EmailChanged); ok {
				plan = accountChange{claim: changed.NewEmail, release: changed.OldEmail}
			}
		}
		return err
	})
	return plan, err
}

// emailLeftBy answers the email that the account append of command res left, read from
// the append's events; "" when it changed no email.
func (s *Service) emailLeftBy(ctx context.Context, command uuid.UUID, res Result) (string, error) {
	// The append holds a profile change and an email change at most.
	stored, err := s.store.ReadStream(ctx, res.Stream, eventstore.ReadStreamOptions{From: max(res.Version-1, 1), Limit: 2})
	if err != nil {
		return "", fmt.Errorf("read the change of %s: %w", res.Stream, err)
	}
	for _, e := range stored {
		if e.Metadata.CommandID != command || e.Type != (domain.EmailChanged{}).EventType() {
			continue
		}
		ev, err := domain.DecodeEvent(e.Type, e.Data)
		if err != nil {
			return "", fmt.Errorf("%s version %d: %w", e.Stream, e.Version, err)
		}
		return ev.(domain.EmailChanged).OldEmail, nil
	}
	return "", nil
}
