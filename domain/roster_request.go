package domain

import (
	"time"

	"github.com/google/uuid"
)

// RequestAccess is an account asking to join a workspace.
type RequestAccess struct {
	AccountID uuid.UUID
}

// RequestAccess puts the asking account on the roster as pending, with no seat and no
// role; only the account itself may ask.
func (w *Workspace) RequestAccess(by Actor, cmd RequestAccess, now time.Time) ([]Event, error) {
	if err := requireAccount(cmd.AccountID); err != nil {
		return nil, err
	}
	if err := w.requireSelf(by, cmd.AccountID, "request access"); err != nil {
		return nil, err
	}
	if err := w.requireNewcomer(cmd.AccountID); err != nil {
		return nil, err
	}
	return []Event{AccessRequested{AccountID: cmd.AccountID}}, nil
}

// ApproveAccess admits a pending member with a role.
type ApproveAccess struct {
	AccountID uuid.UUID
	Role      WorkspaceRole
}

// ApproveAccess makes a pending member active with Role, taking a seat (quota_exceeded
// when none is free); admins and above, never to a role above their own.
func (w *Workspace) ApproveAccess(by Actor, cmd ApproveAccess, now time.Time) ([]Event, error) {
	var v validator
	v.id("account_id", cmd.AccountID)
	v.grantableRole("role", cmd.Role)
	if err := v.err(); err != nil {
		return nil, err
	}
	role, _, err := w.subject(by, cmd.AccountID, actApproveAccess)
	if err != nil {
		return nil, err
	}
	if err := mayAssign(role, cmd.Role); err != nil {
		return nil, err
	}
	if err := w.requireSeat(); err != nil {
		return nil, err
	}
	return []Event{AccessApproved{AccountID: cmd.AccountID, Role: cmd.Role}}, nil
}

// RejectAccess turns a pending member away.
type RejectAccess struct {
	AccountID uuid.UUID
}

// RejectAccess removes a pending member from the roster; admins and above.
func (w *Workspace) RejectAccess(by Actor, cmd RejectAccess, now time.Time) ([]Event, error) {
	return w.simpleAct(by, cmd.AccountID, actRejectAccess, AccessRejected{AccountID: cmd.AccountID})
}
