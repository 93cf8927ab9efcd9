package members

import (
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// row is the roster part of a member row: everything but the account's personal
// data, which is copied from the accounts table when the batch is written.
type row struct {
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

// account is an account's personal data.
type account struct {
	email, login, firstName, lastName, phone string
}

// visa is a visa held on a booking category.
type visa struct {
	visa  uuid.UUID
	until *time.Time
}

// grants is what a batch does to one member's grants. The clear flags delete the
// stored rows first; the maps then hold the final state of every key the batch touched
// after the last clear.
type grants struct {
	clearAll      bool                             // grants cleared or member purged
	clearProjects bool                             // permissions copied: project roles replaced wholesale
	projects      map[uuid.UUID]domain.ProjectRole // "" deletes
	clients       map[uuid.UUID]bool               // false deletes
	visas         map[uuid.UUID]*visa              // by category; nil deletes
	settings      settings                         // settings the batch replaced
}

// fold is a batch folded in memory: the final state of every row it touches.
type fold struct {
	rows      map[roster.Member]*row // prefetched and changed rows; nil: no row
	dirty     map[roster.Member]bool // rows to write
	accounts  map[uuid.UUID]*account
	dirtyAccs map[uuid.UUID]bool
	grants    map[roster.Member]*grants
	projects  map[roster.Member]bool // the workspace's projects (account: the project): archived
	stored    map[roster.Member]bool // rows the tables held before the batch, with their search keys
}

func newMembersFold() *fold {
	return &fold{rows: map[roster.Member]*row{}, dirty: map[roster.Member]bool{},
		accounts: map[uuid.UUID]*account{}, dirtyAccs: map[uuid.UUID]bool{}, grants: map[roster.Member]*grants{},
		projects: map[roster.Member]bool{}, stored: map[roster.Member]bool{}}
}

// apply folds one event; events the member list does not show are ignored.
func (f *fold) apply(env *projections.Envelope) {
	if ws, ok := env.WorkspaceStream(); ok {
		f.applyRoster(roster.Member{WS: ws}, env)
		return
	}
	if f.applyAccount(env.Payload) {
		return
	}
	f.applyGrant(env.Payload)
}

func (f *fold) applyAccount(e domain.Event) bool {
	switch e := e.(type) {
	case domain.AccountRegistered:
		f.setAccount(e.AccountID, &account{email: e.Email, login: e.Login, firstName: e.FirstName, lastName: e.LastName, phone: e.Phone})
	case domain.ProfileChanged:
		if a := f.accounts[e.AccountID]; a != nil {
			f.setAccount(e.AccountID, &account{email: a.email, login: a.login, firstName: e.FirstName, lastName: e.LastName, phone: e.Phone})
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

func (f *fold) setAccount(id uuid.UUID, a *account) {
	f.accounts[id] = a
	f.dirtyAccs[id] = true
}

// applyRoster folds a workspace-stream event; ws.account is filled in per member.
func (f *fold) applyRoster(ws roster.Member, env *projections.Envelope) {
	at := EventTime(env)
	key := func(account uuid.UUID) roster.Member { return roster.Member{WS: ws.WS, Account: account} }
	switch e := env.Payload.(type) {
	case domain.WorkspaceCreated:
		f.put(key(e.OwnerAccountID), &row{status: domain.StatusActive, role: domain.RoleOwner, invitedAt: at, statusChangedAt: at, joinedAt: &at})
	case domain.OwnershipTransferred:
		f.update(key(e.From), func(r *row) { r.role = domain.RoleAdmin })
		f.update(key(e.To), func(r *row) { r.role = domain.RoleOwner })
	case domain.MemberInvited:
		f.put(key(e.AccountID), &row{status: domain.StatusInvited, role: e.Role, invitedAt: at, statusChangedAt: at, expiresAt: optTime(&e.ExpiresAt)})
	case domain.InvitationResent:
		f.update(key(e.AccountID), func(r *row) { r.expiresAt = optTime(&e.ExpiresAt) })
	case domain.InvitationAccepted:
		f.update(key(e.AccountID), func(r *row) { r.join(at); r.expiresAt = nil })
	case domain.AccessRequested:
		f.put(key(e.AccountID), &row{status: domain.StatusPending, invitedAt: at, statusChangedAt: at})
	case domain.AccessApproved:
		f.update(key(e.AccountID), func(r *row) { r.join(at); r.role = e.Role })
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

func (f *fold) applyLifecycle(key func(uuid.UUID) roster.Member, e domain.Event, at time.Time) {
	switch e := e.(type) {
	case domain.RoleChanged:
		f.update(key(e.AccountID), func(r *row) { r.role = e.To })
	case domain.LicenseDeactivated:
		f.update(key(e.AccountID), func(r *row) { r.setStatus(domain.StatusDeactivated, at) })
	case domain.LicenseReactivated:
		f.update(key(e.AccountID), func(r *row) { r.setStatus(domain.StatusActive, at) })
	case domain.MemberSuspended:
		f.update(key(e.AccountID), func(r *row) {
			r.setStatus(domain.StatusSuspended, at)
			r.suspensionReason, r.suspendedUntil = e.Reason, optTime(e.Until)
		})
	case domain.MemberReinstated:
		f.update(key(e.AccountID), func(r *row) { r.setStatus(domain.StatusActive, at) })
	case domain.MemberDeleted:
		f.update(key(e.AccountID), func(r *row) {
			r.setStatus(domain.StatusDeleted, at)
			r.previous, r.deletedAt = e.PreviousStatus, optTime(&e.DeletedAt)
			if r.deletedAt == nil {
				r.deletedAt = &at
			}
		})
	case domain.MemberRestored:
		f.update(key(e.AccountID), func(r *row) {
			r.setStatus(e.Status, at)
			r.previous, r.deletedAt = "", nil
		})
	case domain.WelcomeEmailSent:
		f.update(key(e.AccountID), func(r *row) { r.welcomeSent = true })
	}
}

// setStatus moves the member to s at time at. Becoming active ends any suspension, so
// that the suspension fields always describe the member's current or last suspension.
func (r *row) setStatus(s domain.MemberStatus, at time.Time) {
	r.status, r.statusChangedAt = s, at
	if s == domain.StatusActive {
		r.suspensionReason, r.suspendedUntil = "", nil
	}
}

// join makes an invited or pending member active.
func (r *row) join(at time.Time) {
	r.setStatus(domain.StatusActive, at)
	r.joinedAt = &at
}

// put sets a row's final state; nil deletes it.
func (f *fold) put(k roster.Member, r *row) {
	f.rows[k] = r
	f.dirty[k] = true
}

// update changes an existing row; an event about a member without a row changes nothing,
// as the domain ignores it too.
func (f *fold) update(k roster.Member, change func(*row)) {
	if r := f.rows[k]; r != nil {
		change(r)
		f.dirty[k] = true
	}
}

// applyGrant folds a member-stream event into the member's grants.
func (f *fold) applyGrant(e domain.Event) {
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
		f.grantsOf(e.WorkspaceID, e.AccountID).visas[e.CategoryID] = &visa{visa: e.VisaID, until: optTime(e.ValidUntil)}
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

func (f *fold) grantsOf(ws, account uuid.UUID) *grants {
	k := roster.Member{WS: ws, Account: account}
	g := f.grants[k]
	if g == nil {
		g = &grants{projects: map[uuid.UUID]domain.ProjectRole{}, clients: map[uuid.UUID]bool{}, visas: map[uuid.UUID]*visa{},
			settings: newMembersSettings()}
		f.grants[k] = g
	}
	return g
}

// clearGrants forgets what the batch did to the member's grants so far and deletes the
// stored ones.
func (f *fold) clearGrants(k roster.Member) {
	g := f.grantsOf(k.WS, k.Account)
	*g = grants{clearAll: true, projects: map[uuid.UUID]domain.ProjectRole{}, clients: map[uuid.UUID]bool{}, visas: map[uuid.UUID]*visa{},
		settings: newMembersSettings()}
}
