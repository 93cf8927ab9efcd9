package members

import (
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// membersRow is the roster part of a member row: everything but the account's personal
// data, which is copied from the accounts table when the batch is written.
type membersRow struct {
	status, previous domain.MemberStatus
	role             domain.WorkspaceRole
	invitedAt        time.Time
	statusChangedAt  time.Time
	joinedAt         *time.Time
	deletedAt        *time.Time
	expiresAt        *time.Time
	suspensionReason string
	suspendedUntil   *time.Time
	welcomeSent      bool
}

// membersAccount is an account's personal data.
type membersAccount struct {
	email, login, firstName, lastName, phone string
}

// membersVisa is a visa held on a booking category.
type membersVisa struct {
	visa  uuid.UUID
	until *time.Time
}

// membersGrants is what a batch does to one member's grants. The clear flags delete the
// stored rows first; the maps then hold the final state of every key the batch touched
// after the last clear.
type membersGrants struct {
	clearAll      bool                             // grants cleared or member purged
	clearProjects bool                             // permissions copied: project roles replaced wholesale
	projects      map[uuid.UUID]domain.ProjectRole // "" deletes
	clients       map[uuid.UUID]bool               // false deletes
	visas         map[uuid.UUID]*membersVisa       // by category; nil deletes
	settings      membersSettings                  // settings the batch replaced
}

// membersFold is a batch folded in memory: the final state of every row it touches.
type membersFold struct {
	rows      map[roster.Member]*membersRow // prefetched and changed rows; nil: no row
	dirty     map[roster.Member]bool        // rows to write
	accounts  map[uuid.UUID]*membersAccount
	dirtyAccs map[uuid.UUID]bool
	grants    map[roster.Member]*membersGrants
	projects  map[roster.Member]bool // the workspace's projects (account: the project): archived
	stored    map[roster.Member]bool // rows the tables held before the batch, with their search keys
}

func newMembersFold() *membersFold {
	return &membersFold{rows: map[roster.Member]*membersRow{}, dirty: map[roster.Member]bool{},
		accounts: map[uuid.UUID]*membersAccount{}, dirtyAccs: map[uuid.UUID]bool{}, grants: map[roster.Member]*membersGrants{},
		projects: map[roster.Member]bool{}, stored: map[roster.Member]bool{}}
}

// apply folds one event; events the member list does not show are ignored.
func (f *membersFold) apply(env *projections.Envelope) {
	if ws, ok := env.WorkspaceStream(); ok {
		f.applyRoster(roster.Member{WS: ws}, env)
		return
	}
	if f.applyAccount(env.Payload) {
		return
	}
	f.applyGrant(env.Payload)
}

func (f *membersFold) applyAccount(e domain.Event) bool {
	switch e := e.(type) {
	case domain.AccountRegistered:
		f.setAccount(e.AccountID, &membersAccount{email: e.Email, login: e.Login, firstName: e.FirstName, lastName: e.LastName, phone: e.Phone})
	case domain.ProfileChanged:
		if a := f.accounts[e.AccountID]; a != nil {
			f.setAccount(e.AccountID, &membersAccount{email: a.email, login: a.login, firstName: e.FirstName, lastName: e.LastName, phone: e.Phone})
		}
	case domain.EmailChanged:
		if a := f.accounts[e.AccountID]; a != nil {
			b := *a
			b.email = e.NewEmail
			f.setAccount(e.AccountID, &b)
		}
	default:
		return false
	}
	return true
}

func (f *membersFold) setAccount(id uuid.UUID, a *membersAccount) {
	f.accounts[id] = a
	f.dirtyAccs[id] = true
}

// applyRoster folds a workspace-stream event; ws.account is filled in per member.
func (f *membersFold) applyRoster(ws roster.Member, env *projections.Envelope) {
	at := EventTime(env)
	key := func(account uuid.UUID) roster.Member { return roster.Member{WS: ws.WS, Account: account} }
	switch e := env.Payload.(type) {
	case domain.WorkspaceCreated:
		f.put(key(e.OwnerAccountID), &membersRow{status: domain.StatusActive, role: domain.RoleOwner, invitedAt: at, statusChangedAt: at, joinedAt: &at})
	case domain.OwnershipTransferred:
		f.update(key(e.From), func(r *membersRow) { r.role = domain.RoleAdmin })
		f.update(key(e.To), func(r *membersRow) { r.role = domain.RoleOwner })
	case domain.MemberInvited:
		f.put(key(e.AccountID), &membersRow{status: domain.StatusInvited, role: e.Role, invitedAt: at, statusChangedAt: at, expiresAt: membersOptTime(&e.ExpiresAt)})
	case domain.InvitationResent:
		f.update(key(e.AccountID), func(r *membersRow) { r.expiresAt = membersOptTime(&e.ExpiresAt) })
	case domain.InvitationAccepted:
		f.update(key(e.AccountID), func(r *membersRow) { r.join(at); r.expiresAt = nil })
	case domain.AccessRequested:
		f.put(key(e.AccountID), &membersRow{status: domain.StatusPending, invitedAt: at, statusChangedAt: at})
	case domain.AccessApproved:
		f.update(key(e.AccountID), func(r *membersRow) { r.join(at); r.role = e.Role })
	case domain.InvitationRevoked:
		f.put(key(e.AccountID), nil)
	case domain.InvitationExpired:
		f.put(key(e.AccountID), nil)
	case domain.AccessRejected:
		f.put(key(e.AccountID), nil)
	case domain.MemberPurged:
		// Purged members leave the list; their grants go with them, as nothing can
		// bring a purged membership back.
		f.put(key(e.AccountID), nil)
		f.clearGrants(key(e.AccountID))
	default:
		if !f.applyCatalog(ws.WS, env.Payload) {
			f.applyLifecycle(key, env.Payload, at)
		}
	}
}

func (f *membersFold) applyLifecycle(key func(uuid.UUID) roster.Member, e domain.Event, at time.Time) {
	switch e := e.(type) {
	case domain.RoleChanged:
		f.update(key(e.AccountID), func(r *membersRow) { r.role = e.To })
	case domain.LicenseDeactivated:
		f.update(key(e.AccountID), func(r *membersRow) { r.setStatus(domain.StatusDeactivated, at) })
	case domain.LicenseReactivated:
		f.update(key(e.AccountID), func(r *membersRow) { r.setStatus(domain.StatusActive, at) })
	case domain.MemberSuspended:
		f.update(key(e.AccountID), func(r *membersRow) {
			r.setStatus(domain.StatusSuspended, at)
			r.suspensionReason, r.suspendedUntil = e.Reason, membersOptTime(e.Until)
		})
	case domain.MemberReinstated:
		f.update(key(e.AccountID), func(r *membersRow) { r.setStatus(domain.StatusActive, at) })
	case domain.MemberDeleted:
		f.update(key(e.AccountID), func(r *membersRow) {
			r.setStatus(domain.StatusDeleted, at)
			r.previous, r.deletedAt = e.PreviousStatus, membersOptTime(&e.DeletedAt)
			if r.deletedAt == nil {
				r.deletedAt = &at
			}
		})
	case domain.MemberRestored:
		f.update(key(e.AccountID), func(r *membersRow) {
			r.setStatus(e.Status, at)
			r.previous, r.deletedAt = "", nil
		})
	case domain.WelcomeEmailSent:
		f.update(key(e.AccountID), func(r *membersRow) { r.welcomeSent = true })
	}
}

// setStatus moves the member to s at time at. Becoming active ends any suspension, so
// that the suspension fields always describe the member's current or last suspension.
func (r *membersRow) setStatus(s domain.MemberStatus, at time.Time) {
	r.status, r.statusChangedAt = s, at
	if s == domain.StatusActive {
		r.suspensionReason, r.suspendedUntil = "", nil
	}
}

// join makes an invited or pending member active.
func (r *membersRow) join(at time.Time) {
	r.setStatus(domain.StatusActive, at)
	r.joinedAt = &at
}

// put sets a row's final state; nil deletes it.
func (f *membersFold) put(k roster.Member, r *membersRow) {
	f.rows[k] = r
	f.dirty[k] = true
}

// update changes an existing row; an event about a member without a row changes nothing,
// as the domain ignores it too.
func (f *membersFold) update(k roster.Member, change func(*membersRow)) {
	if r := f.rows[k]; r != nil {
		change(r)
		f.dirty[k] = true
	}
}

// applyGrant folds a member-stream event into the member's grants.
func (f *membersFold) applyGrant(e domain.Event) {
	switch e := e.(type) {
	case domain.ProjectRoleAssigned:
		f.grantsOf(e.WorkspaceID, e.AccountID).projects[e.ProjectID] = e.Role
	case domain.ProjectRoleRemoved:
		f.grantsOf(e.WorkspaceID, e.AccountID).projects[e.ProjectID] = ""
	case domain.PermissionsCopied:
		g := f.grantsOf(e.WorkspaceID, e.AccountID)
		g.clearProjects, g.projects = true, map[uuid.UUID]domain.ProjectRole{}
		for p, role := range e.ProjectRoles {
			g.projects[p] = role
		}
		g.settings.copied(e)
	case domain.VisaGranted:
		f.grantsOf(e.WorkspaceID, e.AccountID).visas[e.CategoryID] = &membersVisa{visa: e.VisaID, until: membersOptTime(e.ValidUntil)}
	case domain.VisaRevoked:
		f.grantsOf(e.WorkspaceID, e.AccountID).visas[e.CategoryID] = nil
	case domain.VisaExpired:
		f.grantsOf(e.WorkspaceID, e.AccountID).visas[e.CategoryID] = nil
	case domain.ClientLinked:
		f.grantsOf(e.WorkspaceID, e.AccountID).clients[e.ClientID] = true
	case domain.ClientUnlinked:
		f.grantsOf(e.WorkspaceID, e.AccountID).clients[e.ClientID] = false
	case domain.GrantsCleared:
		f.clearGrants(roster.Member{WS: e.WorkspaceID, Account: e.AccountID})
	default:
		f.applySettings(e)
	}
}

func (f *membersFold) grantsOf(ws, account uuid.UUID) *membersGrants {
	k := roster.Member{WS: ws, Account: account}
	g := f.grants[k]
	if g == nil {
		g = &membersGrants{projects: map[uuid.UUID]domain.ProjectRole{}, clients: map[uuid.UUID]bool{}, visas: map[uuid.UUID]*membersVisa{},
			settings: newMembersSettings()}
		f.grants[k] = g
	}
	return g
}

// clearGrants forgets what the batch did to the member's grants so far and deletes the
// stored ones.
func (f *membersFold) clearGrants(k roster.Member) {
	g := f.grantsOf(k.WS, k.Account)
	*g = membersGrants{clearAll: true, projects: map[uuid.UUID]domain.ProjectRole{}, clients: map[uuid.UUID]bool{}, visas: map[uuid.UUID]*membersVisa{},
		settings: newMembersSettings()}
}
