package domain

import (
	"fmt"
	"time"
)

// CodeWorkspaceDeleted refuses every command and query into a deleted workspace, for the
// callers who knew it (its roster and platform admins); Details carry deleted_at and
// restorable_until. It is a KindNotFound: for its members the workspace is gone, as for
// everyone else, only they learn that the owner may still bring it back.
const CodeWorkspaceDeleted = "workspace_deleted"

// Deleted reports whether the workspace is deleted: restorable, or purged for good.
func (w *Workspace) Deleted() bool { return !w.deletedAt.IsZero() }

// DeletedAt answers when the workspace was deleted; zero unless Deleted.
func (w *Workspace) DeletedAt() time.Time { return w.deletedAt }

// RestorableUntil answers the end of the restore window of a deleted workspace: it can be
// restored up to that instant and purged only after it. Zero unless Deleted.
func (w *Workspace) RestorableUntil() time.Time {
	if !w.Deleted() {
		return time.Time{}
	}
	return w.deletedAt.Add(RestoreWindow)
}

// Purged reports whether the workspace was purged: deleted for good, history only.
func (w *Workspace) Purged() bool { return w.purged }

func (w *Workspace) applyDeletion(e Event) bool {
	switch e := e.(type) {
	case WorkspaceDeleted:
		w.deletedAt = e.DeletedAt
	case WorkspaceRestored:
		w.deletedAt = time.Time{}
	case WorkspacePurged:
		w.purged = true
	default:
		return false
	}
	return true
}

// refuseDeleted is the gate of every decision in a deleted workspace (requireExists): only
// RestoreWorkspace and PurgeWorkspace decide there. Nothing else may change a workspace
// that its owner closed, so that a restore brings back exactly what was deleted.
func (w *Workspace) refuseDeleted() error {
	switch {
	case !w.Deleted():
		return nil
	case w.purged:
		return notFound("workspace not found")
	}
	return w.deletedError()
}

func (w *Workspace) deletedError() *Error {
	until := w.RestorableUntil().Format(time.RFC3339)
	return &Error{Kind: KindNotFound, Code: CodeWorkspaceDeleted,
		Message: fmt.Sprintf("the workspace was deleted; its owner or a platform admin may restore it until %s", until),
		Details: map[string]string{"deleted_at": w.deletedAt.Format(time.RFC3339), "restorable_until": until}}
}

// AuthorizeDeletedRead admits by to a query of kind r in a Deleted workspace, in place of
// AuthorizeRead: only its history (ReadHistory), and only for platform admins and the
// workspace's active auditors, so that the record of what happened outlives the
// workspace. Anyone else learns what an unknown workspace tells: not_found, or, for those
// who knew it and until the purge, workspace_deleted.
func (w *Workspace) AuthorizeDeletedRead(by Actor, r Read) error {
	if r == ReadHistory && (by.PlatformAdmin || w.isActiveAuditor(by)) {
		return nil
	}
	if w.purged || !w.Knows(by) {
		return notFound("workspace not found")
	}
	return w.deletedError()
}

func (w *Workspace) isActiveAuditor(by Actor) bool {
	e, ok := w.roster[by.AccountID]
	return !by.IsSystem() && ok && e.Status == StatusActive && e.Role == RoleAuditor
}

// DeleteWorkspace closes the workspace, restorably for RestoreWindow.
type DeleteWorkspace struct {
	Reason string // required: members and auditors must be able to learn why
}

// DeleteWorkspace deletes the workspace; the owner only (and platform admins, who act with
// owner authority everywhere). Every other command and query into it is refused from the
// moment it is appended; the roster, plan and catalog are kept unchanged for a restore.
// A deleted workspace is workspace_deleted.
func (w *Workspace) DeleteWorkspace(by Actor, cmd DeleteWorkspace, now time.Time) ([]Event, error) {
	var v validator
	if cmd.Reason == "" {
		v.fail("reason", "is required")
	}
	v.text("reason", cmd.Reason, MaxReasonLength)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := w.requireRole(by, RoleOwner, "delete the workspace"); err != nil {
		return nil, err
	}
	return []Event{WorkspaceDeleted{Reason: cmd.Reason, DeletedAt: utc(now)}}, nil
}

// RestoreWorkspace undoes a deletion.
type RestoreWorkspace struct{}

// RestoreWorkspace brings a deleted workspace back as it was deleted, up to RestoreWindow
// after the deletion (restore_window_passed after it, and after a purge); the owner or a
// platform admin. A workspace that is not deleted is invalid_transition.
func (w *Workspace) RestoreWorkspace(by Actor, _ RestoreWorkspace, now time.Time) ([]Event, error) {
	if err := w.mayRestore(by); err != nil {
		return nil, err
	}
	switch {
	case !w.Deleted():
		return nil, conflict(CodeInvalidTransition, "the workspace is not deleted")
	case w.purged || now.After(w.RestorableUntil()):
		return nil, conflict(CodeRestoreWindowPassed, "the workspace could be restored until %s", w.RestorableUntil().Format(time.RFC3339))
	}
	return []Event{WorkspaceRestored{DeletedAt: w.deletedAt}}, nil
}

// mayRestore admits the owner and platform admins; it does not pass the deletion gate,
// since restoring is what a deleted workspace is for.
func (w *Workspace) mayRestore(by Actor) error {
	if !w.exists {
		return notFound("workspace not found")
	}
	if by.PlatformAdmin || (!by.IsSystem() && by.AccountID == w.owner) {
		return nil
	}
	return forbidden("only the owner or a platform admin may restore the workspace")
}

// PurgeWorkspace ends a deleted workspace for good.
type PurgeWorkspace struct{}

// PurgeWorkspace purges a workspace deleted more than RestoreWindow ago; the system only,
// as scheduled work, so that no person can cut the restore window short. It is
// idempotent: a purged workspace answers no events, so that a retry or a second
// scheduler appends nothing twice. Not deleted, or still restorable, is
// invalid_transition; an unknown workspace is not_found.
func (w *Workspace) PurgeWorkspace(by Actor, _ PurgeWorkspace, now time.Time) ([]Event, error) {
	if !w.exists {
		return nil, notFound("workspace not found")
	}
	if !by.IsSystem() {
		return nil, forbidden("only the system may purge workspaces")
	}
	switch {
	case w.purged:
		return nil, nil
	case !w.Deleted():
		return nil, conflict(CodeInvalidTransition, "the workspace is not deleted")
	case !now.After(w.RestorableUntil()):
		return nil, conflict(CodeInvalidTransition, "the workspace can be restored until %s and is purged only after", w.RestorableUntil().Format(time.RFC3339))
	}
	return []Event{WorkspacePurged{DeletedAt: w.deletedAt}}, nil
}
