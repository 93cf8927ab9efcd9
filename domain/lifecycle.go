package domain

import (
	"slices"

	"github.com/google/uuid"
)

// act is one roster command on an existing member, as the lifecycle table of docs/domain.md
// describes it. Keeping the table here, in one place, makes it reviewable against the
// design line by line.
type act struct {
	verb       string         // completes "may not ... the member", for messages
	from       []MemberStatus // statuses the command starts from
	noSelf     bool           // nobody does this to themselves
	guardOwner bool           // refused on the owner with owner_protected
}

var (
	actResendInvitation = act{verb: "resend the invitation of", from: []MemberStatus{StatusInvited}, guardOwner: true}
	actRevokeInvitation = act{verb: "revoke the invitation of", from: []MemberStatus{StatusInvited}, guardOwner: true}
	actApproveAccess    = act{verb: "approve the access request of", from: []MemberStatus{StatusPending}, guardOwner: true}
	actRejectAccess     = act{verb: "reject the access request of", from: []MemberStatus{StatusPending}, guardOwner: true}
	actChangeRole       = act{verb: "change the role of", from: []MemberStatus{StatusInvited, StatusActive, StatusSuspended}, noSelf: true, guardOwner: true}
	actDeactivate       = act{verb: "deactivate the license of", from: []MemberStatus{StatusActive, StatusSuspended}, noSelf: true, guardOwner: true}
	actReactivate       = act{verb: "reactivate the license of", from: []MemberStatus{StatusDeactivated}, guardOwner: true}
	actSuspend          = act{verb: "suspend", from: []MemberStatus{StatusActive}, noSelf: true, guardOwner: true}
	actReinstate        = act{verb: "reinstate", from: []MemberStatus{StatusSuspended}, guardOwner: true}
	actDelete           = act{verb: "delete", from: []MemberStatus{StatusInvited, StatusPending, StatusActive, StatusSuspended, StatusDeactivated}, noSelf: true, guardOwner: true}
	actRestore          = act{verb: "restore", from: []MemberStatus{StatusDeleted}, guardOwner: true}
	actPurge            = act{verb: "purge", from: []MemberStatus{StatusDeleted}, guardOwner: true}
	// The owner may get a welcome email like anyone; reaches keeps admins from sending it.
	actSendWelcome = act{verb: "send the welcome email to", from: []MemberStatus{StatusActive}}
)

// check refuses the act on target in the order a client can best act upon: self, owner,
// rank, then status.
func (a act) check(by Actor, actor WorkspaceRole, account uuid.UUID, target RosterEntry) error {
	if a.noSelf && !by.IsSystem() && by.AccountID == account {
		return selfAction(a.verb)
	}
	if a.guardOwner && target.Role == RoleOwner {
		return ownerProtected(a.verb)
	}
	if err := reaches(actor, target); err != nil {
		return err
	}
	if !slices.Contains(a.from, target.Status) {
		return conflict(CodeInvalidTransition, "cannot %s a member who is %s", a.verb, target.Status)
	}
	return nil
}

// subject authorizes an admin's roster command on a member and answers the actor's role
// and the member's entry.
func (w *Workspace) subject(by Actor, account uuid.UUID, a act) (WorkspaceRole, RosterEntry, error) {
	role, err := w.requireRole(by, RoleAdmin, a.verb+" members")
	if err != nil {
		return "", RosterEntry{}, err
	}
	target, err := w.onRoster(account)
	if err != nil {
		return "", RosterEntry{}, err
	}
	return role, target, a.check(by, role, account, target)
}

// simpleAct decides an admin's roster command that needs nothing but the lifecycle rules.
func (w *Workspace) simpleAct(by Actor, account uuid.UUID, a act, event Event) ([]Event, error) {
	if err := requireAccount(account); err != nil {
		return nil, err
	}
	if _, _, err := w.subject(by, account, a); err != nil {
		return nil, err
	}
	return []Event{event}, nil
}

func requireAccount(account uuid.UUID) error {
	var v validator
	v.id("account_id", account)
	return v.err()
}
