package domain

import "github.com/google/uuid"

// Read names a kind of query, for Workspace.AuthorizeRead. Queries are authorized against
// the latest roster, as commands are; the read models only answer them.
type Read uint8

const (
	// ReadWorkspace is the workspace itself (name, plan, modules, catalog): every active
	// member.
	ReadWorkspace Read = iota
	// ReadMembers is the member list and every member's detail, the users module: admins
	// and above, auditors, and project admins (who add existing members to their
	// projects). Managers read what their modules need (ReadAccess), not the members.
	ReadMembers
	// ReadMember is one member's detail, grants and authorization history: the member
	// themselves, and whoever may ReadMembers.
	ReadMember
	// ReadLicenses is the seat quota and its usage over time: admins and above, auditors.
	ReadLicenses
	// ReadHistory is the activity log, its exports and the raw streams: admins and above,
	// auditors (MayReadHistory).
	ReadHistory
	// ReadAccess is an access check or a booking question about any member: managers and
	// above, auditors. Anyone may check their own access (ReadMember).
	ReadAccess
)

// AuthorizeRead admits by to a query of kind r about subject (the member a ReadMember
// query is about; uuid.Nil otherwise). A caller who is not on the roster, or whose
// membership ended, learns nothing: the answer is not_found, as for a workspace that
// does not exist. An inactive or insufficient member gets forbidden.
func (w *Workspace) AuthorizeRead(by Actor, r Read, subject uuid.UUID) error {
	if !w.Knows(by) {
		return notFound("workspace not found")
	}
	role, err := w.authority(by)
	if err != nil {
		return err
	}
	self := subject != uuid.Nil && by.AccountID == subject
	allowed := false
	switch r {
	case ReadWorkspace:
		allowed = true
	case ReadMember:
		allowed = self || mayReadMembers(role, by)
	case ReadMembers:
		allowed = mayReadMembers(role, by)
	case ReadLicenses, ReadHistory:
		allowed = role.AtLeast(RoleAdmin) || role == RoleAuditor
	case ReadAccess:
		allowed = self || role.AtLeast(RoleManager) || role == RoleAuditor
	}
	if !allowed {
		return forbidden("as %s you may not read this", role)
	}
	return nil
}

// Knows reports whether the workspace exists for by: platform admins see every workspace;
// anyone else only one they are on the roster of, in any state but deleted or purged.
func (w *Workspace) Knows(by Actor) bool {
	if !w.exists {
		return false
	}
	if by.PlatformAdmin {
		return true
	}
	e, ok := w.roster[by.AccountID]
	return ok && e.Status != StatusDeleted && e.Status != StatusPurged
}

func mayReadMembers(role WorkspaceRole, by Actor) bool {
	if role.AtLeast(RoleAdmin) || role == RoleAuditor {
		return true
	}
	for _, r := range by.ProjectRoles {
		if r == ProjectAdmin {
			return true
		}
	}
	return false
}
