package app

import (
	"context"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/eventstore"
)

// Authorize admits by to a query of kind r about subject (uuid.Nil when the query is not
// about one member) in workspace ws, against the roster: the authority commands are
// decided with, never a read model's, at most Options.ReadFreshness old. Project roles, which only widen what
// a caller may read, are loaded when the roster alone refuses.
func (s *Service) Authorize(ctx context.Context, ws uuid.UUID, by domain.Actor, r domain.Read, subject uuid.UUID) error {
	err := s.onRecentWorkspace(ctx, ws, func(w *domain.Workspace) error { return authorizeRead(w, by, r, subject) })
	if domain.KindOf(err) != domain.KindForbidden || (r != domain.ReadMembers && r != domain.ReadMember) || by.PlatformAdmin {
		return err
	}
	meta, loadErr := s.withProjectRoles(ctx, Meta{Actor: by}, ws)
	if loadErr != nil {
		return loadErr
	}
	if len(meta.Actor.ProjectRoles) == 0 {
		return err
	}
	return s.onRecentWorkspace(ctx, ws, func(w *domain.Workspace) error { return authorizeRead(w, meta.Actor, r, subject) })
}

// WorkspaceInfo is what GET /v1/workspaces/{ws} shows of a workspace.
type WorkspaceInfo struct {
	ID             uuid.UUID `json:"id"`
	Name           string    `json:"name"`
	Seats          int       `json:"seats"`
	SeatsUsed      int       `json:"seats_used"`
	OwnerAccountID uuid.UUID `json:"owner_account_id"`
	Version        int64     `json:"-"` // the workspace stream's version (ETag)
}

// Workspace answers the latest state of workspace ws, if by may read it.
func (s *Service) Workspace(ctx context.Context, ws uuid.UUID, by domain.Actor) (WorkspaceInfo, error) {
	var info WorkspaceInfo
	err := s.withRecentState(ctx, workspaceStep(ws, "read", nil), s.readFresh, func(state aggregate, version int64) error {
		w := state.(*domain.Workspace)
		if err := authorizeRead(w, by, domain.ReadWorkspace, uuid.Nil); err != nil {
			return err
		}
		info = WorkspaceInfo{ID: w.ID(), Name: w.Name(), Seats: w.Seats(), SeatsUsed: w.SeatsUsed(), OwnerAccountID: w.Owner(), Version: version}
		return nil
	})
	return info, err
}

// onRecentWorkspace runs fn on a state of workspace ws at most Options.ReadFreshness old.
func (s *Service) onRecentWorkspace(ctx context.Context, ws uuid.UUID, fn func(*domain.Workspace) error) error {
	return s.withRecentState(ctx, workspaceStep(ws, "read", nil), s.readFresh, func(state aggregate, _ int64) error {
		return fn(state.(*domain.Workspace))
	})
}

// MayManageAccount reports whether by may read and change the profile of account: the
// account itself, a platform admin, or an admin of one of the workspaces in via that the
// account belongs to, decided against those workspaces' latest rosters.
func (s *Service) MayManageAccount(ctx context.Context, by domain.Actor, account uuid.UUID, via []uuid.UUID) (bool, error) {
	shared, err := s.sharedWorkspaces(ctx, via)
	if err != nil {
		return false, err
	}
	return domain.MayManageAccount(by, account, shared), nil
}

// AccountInfo is an account's profile, as its stream holds it now.
type AccountInfo struct {
	AccountID uuid.UUID
	Email     string
	Login     string
	Profile   domain.Profile
	Version   int64 // the account stream's version, which the account's commands check (ETag)
}

// Account answers the latest profile of account, and whether it is registered. It does
// not authorize: see MayManageAccount.
func (s *Service) Account(ctx context.Context, account uuid.UUID) (AccountInfo, bool, error) {
	var a domain.Account
	e := &entry{state: &a}
	if _, err := s.refresh(ctx, domain.AccountStream(account), e); err != nil {
		return AccountInfo{}, false, err
	}
	return AccountInfo{AccountID: account, Email: a.Email(), Login: a.Login(), Profile: a.Profile(), Version: e.version}, a.Registered(), nil
}

// StreamVersion is the version of a stream as the command side decides on it, and the
// global position of the event that made it (zero for version 0).
type StreamVersion struct {
	Version  int64
	Position eventstore.Position
}

// RosterVersion answers the version of workspace ws's stream that the commands on the
// roster, those about one member included, check If-Match against. It is the command
// side's, at most Options.ReadFreshness old: a read model showing the member must be
// waited for up to Position before its answer may carry this version, so that the
// version never claims more than the answer shows.
func (s *Service) RosterVersion(ctx context.Context, ws uuid.UUID) (StreamVersion, error) {
	var v StreamVersion
	err := s.withRecentEntry(ctx, workspaceStep(ws, "read", nil), s.readFresh, func(e *entry) error {
		v.Version, v.Position = e.version, e.position
		return nil
	})
	return v, err
}
