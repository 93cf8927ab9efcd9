package app

import (
	"context"
	"fmt"
	"sync"
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
// and gives the project roles asked for. Everything that can be checked beforehand is,
// so that a refused invitation writes nothing; each step is retry-safe, so a retry after
// a crash completes the invitation.
func (s *Service) InviteUser(ctx context.Context, meta Meta, ws uuid.UUID, cmd InviteUser) (Invitation, error) {
	meta = meta.withDefaults()
	reg := domain.RegisterAccount{Email: domain.NormalizeEmail(cmd.Email), Login: cmd.Login,
		FirstName: cmd.FirstName, LastName: cmd.LastName, Phone: cmd.Phone}
	id, registered, err := s.resolveAccount(ctx, meta, reg.Email)
	if err != nil {
		return Invitation{}, err
	}
	reg.AccountID = id
	if !registered {
		if _, err := (&domain.Account{}).RegisterAccount(reg); err != nil {
			return Invitation{}, err
		}
		// An account that is not registered has no stream yet, and no membership.
		s.expectNew(domain.AccountStream(id), newAccount)
		s.expectNew(domain.MemberStream(ws, id), func() aggregate { return domain.NewMemberAccess(ws, id) })
	}
	token := s.invitationToken(meta.CommandID, ws, id)
	invite := domain.InviteUser{AccountID: id, Role: cmd.Role, TokenHash: domain.HashToken(token), TTL: cmd.TTL}
	// If-Match is about the roster, whose version the invitation answers: the dry run
	// checks it before the account is registered, the roster's append again.
	side := withoutPrecondition(meta)
	res, err := s.inviteLocked(ctx, meta, ws, invite, cmd.Projects, func() error {
		if registered {
			return nil
		}
		_, err := s.ensureAccount(ctx, side, reg)
		return err
	})
	if err != nil {
		return Invitation{}, err
	}
	for _, p := range cmd.Projects {
		granted, err := s.run(ctx, side, s.memberStep(ctx, ws, id, "project/"+p.ProjectID.String(),
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
	return Invitation{Result: res, AccountID: id, Token: token, NewAccount: created}, nil
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

// inviteLocked decides the invitation on the latest roster before anything is written
// (authority, quota, membership, the project references), registers the account, and
// appends to the roster. The workspace's lock is held for the dry run and for the append,
// not while the account is registered, so that invitations into one workspace register
// their accounts side by side; the seat the dry run found is reserved in between, so
// that in this process no other invitation takes it and a refused invitation writes
// nothing.
func (s *Service) inviteLocked(ctx context.Context, meta Meta, ws uuid.UUID, cmd domain.InviteUser, projects []ProjectGrant, prepare func() error) (Result, error) {
	st := workspaceStep(ws, "invite", func(w *domain.Workspace, now time.Time) ([]domain.Event, error) {
		return w.InviteUser(meta.Actor, cmd, now)
	})
	release, err := s.dryRunInvite(ctx, meta, st, projects)
	if err != nil {
		return Result{}, err
	}
	err = prepare()
	s.locks.Lock(st.stream)
	defer func() { _ = s.locks.Unlock(st.stream) }()
	release()
	if err != nil {
		return Result{}, err
	}
	return s.runLocked(ctx, meta, st)
}

// dryRunInvite decides an invitation on the latest roster, less the seats that other
// invitations of this process have reserved, and reserves one for it. The caller calls
// release under the workspace's lock, right before the invitation's own append.
func (s *Service) dryRunInvite(ctx context.Context, meta Meta, st step, projects []ProjectGrant) (release func(), err error) {
	release = func() {}
	err = s.dryRun(ctx, meta, st, func(state aggregate, done *Result) error {
		if done != nil {
			return nil // a retry of an invitation that was appended: nothing to reserve
		}
		if _, err := st.decide(state, s.clock()); err != nil {
			return err
		}
		w := state.(*domain.Workspace)
		if err := checkProjects(w, projects); err != nil {
			return err
		}
		if w.SeatsFree() <= s.reserved.count(st.stream) {
			return &domain.Error{Kind: domain.KindConflict, Code: domain.CodeQuotaExceeded,
				Message: fmt.Sprintf("all %d seats of the plan are in use or being taken by invitations under way", w.Seats())}
		}
		s.reserved.add(st.stream, 1)
		release = func() { s.reserved.add(st.stream, -1) }
		return nil
	})
	return release, err
}

// seatReservations counts seats reserved per workspace stream. Each count is changed
// under its stream's lock; the mutex guards the map, shared by every workspace.
type seatReservations struct {
	mu   sync.Mutex
	held map[string]int
}

func (r *seatReservations) count(stream string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.held[stream]
}

func (r *seatReservations) add(stream string, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.held[stream] += n; r.held[stream] == 0 {
		delete(r.held, stream)
	}
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
