package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// InviteUser asks to invite a person by email into a workspace.
type InviteUser struct {
	Email     string
	FirstName string // used when the email has no account yet
	LastName  string
	Login     string // optional; used when the email has no account yet
	Phone     string // optional; used when the email has no account yet
	Role      domain.WorkspaceRole
	Projects  []ProjectGrant
	TTL       time.Duration // 0: domain.DefaultInvitationTTL
}

// ProjectGrant is a project role given with an invitation.
type ProjectGrant struct {
	ProjectID uuid.UUID
	Role      domain.ProjectRole
}

// Invitation is the answer to InviteUser.
type Invitation struct {
	Result
	AccountID uuid.UUID
	// Token is the secret the invitee accepts with. It is not stored (only its hash is):
	// deliver it, or lose it and resend the invitation.
	Token string
	// NewAccount is true when this invitation registered the account.
	NewAccount bool
}

// InviteUser invites a person: it registers an account for an email that has none (or
// links the existing one), puts the account on the roster as invited (taking a seat),
// and gives the project roles asked for. The registration and the roster entry are one
// append, decided together: a refused invitation writes nothing, and none is ever half
// written. The project roles follow, each retry-safe, so that a retry after a crash
// completes the invitation.
func (s *Service) InviteUser(ctx context.Context, meta Meta, ws uuid.UUID, cmd InviteUser) (Invitation, error) {
	meta = meta.withDefaults()
	started := s.clock()
	reg := domain.RegisterAccount{Email: domain.NormalizeEmail(cmd.Email), Login: cmd.Login,
		FirstName: cmd.FirstName, LastName: cmd.LastName, Phone: cmd.Phone}
	id, res, err := s.enrol(ctx, meta, ws, cmd, reg)
	if err != nil {
		return Invitation{}, err
	}
	side := withoutPrecondition(meta)
	for _, p := range cmd.Projects {
		// Decided on the roster as the invitation left it, or a later one.
		granted, err := s.run(ctx, side, s.memberStepSince(ctx, ws, id, "project/"+p.ProjectID.String(), started,
			func(m *domain.MemberAccess, w *domain.Workspace, now time.Time) ([]domain.Event, error) {
				return m.AssignProjectRole(w, meta.Actor, domain.AssignProjectRole{ProjectID: p.ProjectID, Role: p.Role}, now)
			}))
		if err != nil {
			return Invitation{}, fmt.Errorf("invited, but project %s: %w", p.ProjectID, err)
		}
		res.Position = later(res.Position, granted.Position)
	}
	// Registered by this command, on this run or an earlier one of the same command id.
	created := id == DerivedID(meta.CommandID, "account")
	return Invitation{Result: res, AccountID: id, Token: s.invitationToken(meta.CommandID, ws, id), NewAccount: created}, nil
}

// enrol puts the invitee on the roster, registering an account for an email that has
// none in the same append, and answers the account.
//
// Most invitations are of new emails, so an email is first taken to be free, without a
// read: the claim's expected version proves it. One that turns out held (email_taken)
// is read, and its account invited instead.
func (s *Service) enrol(ctx context.Context, meta Meta, ws uuid.UUID, cmd InviteUser, reg domain.RegisterAccount) (uuid.UUID, Result, error) {
	reg.AccountID = DerivedID(meta.CommandID, "account")
	if _, invalid := (&domain.Account{}).RegisterAccount(reg); invalid == nil {
		s.expectNew(domain.EmailClaimStream(reg.Email), newClaim)
		if reg.Login != "" {
			s.expectNew(domain.LoginClaimStream(reg.Login), newClaim)
		}
		res, err := s.inviteAccount(ctx, meta, ws, cmd, reg, false)
		if !domain.IsCode(err, domain.CodeEmailTaken) {
			return reg.AccountID, res, err
		}
	}
	id, registered, err := s.resolveAccount(ctx, meta, reg.Email)
	if err != nil {
		return id, Result{}, err
	}
	reg.AccountID = id
	if !registered {
		if _, err := (&domain.Account{}).RegisterAccount(reg); err != nil {
			return id, Result{}, err
		}
	}
	res, err := s.inviteAccount(ctx, meta, ws, cmd, reg, registered)
	return id, res, err
}

// inviteAccount registers reg's account unless registered, and puts it on the roster,
// in one append.
func (s *Service) inviteAccount(ctx context.Context, meta Meta, ws uuid.UUID, cmd InviteUser, reg domain.RegisterAccount, registered bool) (Result, error) {
	id := reg.AccountID
	var steps []step
	if !registered {
		// An account that is not registered has no stream yet, and no membership.
		s.expectNew(domain.AccountStream(id), newAccount)
		s.expectNew(domain.MemberStream(ws, id), func() aggregate { return domain.NewMemberAccess(ws, id) })
		steps = registration(reg)
	}
	invite := domain.InviteUser{AccountID: id, Role: cmd.Role, TokenHash: domain.HashToken(s.invitationToken(meta.CommandID, ws, id)), TTL: cmd.TTL}
	// The roster's step is the main one: If-Match is about the roster, whose version the
	// invitation answers.
	steps = append(steps, workspaceStep(ws, "invite", func(w *domain.Workspace, now time.Time) ([]domain.Event, error) {
		events, err := w.InviteUser(meta.Actor, invite, now)
		if err != nil {
			return nil, err
		}
		return events, checkProjects(w, cmd.Projects)
	}))
	done, err := s.runTogether(ctx, meta, steps...)
	if err != nil {
		return Result{}, err
	}
	res := done[len(done)-1]
	res.Position = lastPosition(done)
	return res, nil
}

// resolveAccount answers the account that holds an email, and whether it is registered;
// for a free email, the id this command registers.
func (s *Service) resolveAccount(ctx context.Context, meta Meta, email string) (uuid.UUID, bool, error) {
	id, held, err := s.holder(ctx, domain.EmailClaimStream(email))
	if err != nil || !held {
		return DerivedID(meta.CommandID, "account"), false, err
	}
	var a domain.Account
	if err := s.snapshot(ctx, domain.AccountStream(id), &a); err != nil {
		return id, false, err
	}
	// A claim without a registration is an invitation that crashed half-way: this one
	// completes it.
	return id, a.Registered(), nil
}

// checkProjects refuses project grants that could not be given after the invitation.
func checkProjects(w *domain.Workspace, projects []ProjectGrant) error {
	var fields []domain.FieldError
	for i, p := range projects {
		if item, ok := w.Project(p.ProjectID); !ok || item.Retired {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("projects[%d].project_id", i), Message: "no such project, or archived"})
		}
		if !p.Role.Valid() {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("projects[%d].role", i), Message: "must be project_admin, contributor or viewer"})
		}
	}
	if len(fields) > 0 {
		return &domain.Error{Kind: domain.KindValidation, Code: domain.CodeValidationFailed, Message: "invalid project grants", Fields: fields}
	}
	return nil
}

// ResendInvitation renews an invitation and answers its new token.
func (s *Service) ResendInvitation(ctx context.Context, meta Meta, ws, account uuid.UUID, ttl time.Duration) (Invitation, error) {
	meta = meta.withDefaults()
	token := s.invitationToken(meta.CommandID, ws, account)
	cmd := domain.ResendInvitation{AccountID: account, TokenHash: domain.HashToken(token), TTL: ttl}
	res, err := onWorkspace(ctx, s, meta, ws, (*domain.Workspace).ResendInvitation, cmd)
	if err != nil {
		return Invitation{}, err
	}
	return Invitation{Result: res, AccountID: account, Token: token}, nil
}

// AcceptInvitation makes the invitee an active member. Holding the token is the
// invitee's proof of identity, so the command acts as the invited account.
func (s *Service) AcceptInvitation(ctx context.Context, meta Meta, token string) (Result, uuid.UUID, uuid.UUID, error) {
	ws, account, err := parseInvitationToken(token)
	if err != nil {
		return Result{}, ws, account, invitationNotFound()
	}
	meta.Actor = domain.Actor{AccountID: account}
	cmd := domain.AcceptInvitation{AccountID: account, TokenHash: domain.HashToken(token)}
	res, err := onWorkspace(ctx, s, meta, ws, (*domain.Workspace).AcceptInvitation, cmd)
	if domain.KindOf(err) == domain.KindNotFound {
		err = invitationNotFound() // the same answer whether or not the workspace exists
	}
	return res, ws, account, err
}
