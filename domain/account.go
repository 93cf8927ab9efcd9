package domain

import (
	"slices"

	"github.com/google/uuid"
)

// Profile is an account's names and phone.
type Profile struct {
	FirstName string
	LastName  string
	Phone     string // empty when not given
}

// Account is the state of one account stream: the only place personal data lives.
type Account struct {
	id         uuid.UUID
	registered bool
	email      string
	login      string
	profile    Profile
}

// ID answers the account id (uuid.Nil before registration).
func (a *Account) ID() uuid.UUID { return a.id }

// Registered reports whether the account exists.
func (a *Account) Registered() bool { return a.registered }

// Email answers the normalized email.
func (a *Account) Email() string { return a.email }

// Login answers the normalized login, or "".
func (a *Account) Login() string { return a.login }

// Profile answers the names and phone.
func (a *Account) Profile() Profile { return a.profile }

// Apply folds one event of the account stream into the state; other events are ignored.
func (a *Account) Apply(e Event) {
	switch e := e.(type) {
	case AccountRegistered:
		*a = Account{id: e.AccountID, registered: true, email: e.Email, login: e.Login,
			profile: Profile{FirstName: e.FirstName, LastName: e.LastName, Phone: e.Phone}}
	case ProfileChanged:
		a.profile = Profile{FirstName: e.FirstName, LastName: e.LastName, Phone: e.Phone}
	case EmailChanged:
		a.email = e.NewEmail
	}
}

// RegisterAccount creates an account. Email and Login are normalized before validation.
type RegisterAccount struct {
	AccountID uuid.UUID
	Email     string
	Login     string // optional
	FirstName string
	LastName  string
	Phone     string // optional
}

func (c RegisterAccount) validate() error {
	var v validator
	v.id("account_id", c.AccountID)
	v.email("email", c.Email)
	v.login("login", c.Login)
	v.name("first_name", c.FirstName)
	v.name("last_name", c.LastName)
	v.phone("phone", c.Phone)
	return v.err()
}

// RegisterAccount registers the account, refusing a second registration (already_exists).
// It takes no actor: an account is always registered as a step of a command the caller
// has already authorized (an invitation by a workspace admin, a workspace created by a
// platform admin), and uniqueness of email and login is the claim streams' job.
func (a *Account) RegisterAccount(cmd RegisterAccount) ([]Event, error) {
	cmd.Email, cmd.Login = NormalizeEmail(cmd.Email), NormalizeLogin(cmd.Login)
	if err := cmd.validate(); err != nil {
		return nil, err
	}
	if a.registered {
		return nil, conflict(CodeAlreadyExists, "account %s is already registered", a.id)
	}
	return []Event{AccountRegistered{AccountID: cmd.AccountID, Email: cmd.Email, Login: cmd.Login, FirstName: cmd.FirstName, LastName: cmd.LastName, Phone: cmd.Phone}}, nil
}

// ChangeProfile replaces the account's names and phone.
type ChangeProfile struct {
	FirstName string
	LastName  string
	Phone     string // empty removes the phone
}

// ChangeProfile changes the profile, by whoever MayManageAccount admits given the
// workspaces the account is a member of (shared). The same profile again changes nothing.
func (a *Account) ChangeProfile(by Actor, cmd ChangeProfile, shared []*Workspace) ([]Event, error) {
	var v validator
	v.name("first_name", cmd.FirstName)
	v.name("last_name", cmd.LastName)
	v.phone("phone", cmd.Phone)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := a.authorize(by, shared); err != nil {
		return nil, err
	}
	if Profile(cmd) == a.profile {
		return nil, nil
	}
	return []Event{ProfileChanged{AccountID: a.id, FirstName: cmd.FirstName, LastName: cmd.LastName, Phone: cmd.Phone}}, nil
}

// ChangeEmail replaces the account's email.
type ChangeEmail struct {
	Email string
}

// ChangeEmail changes the email, with the same authority as ChangeProfile. The caller
// claims the new email before appending the event and releases the old one after.
func (a *Account) ChangeEmail(by Actor, cmd ChangeEmail, shared []*Workspace) ([]Event, error) {
	email := NormalizeEmail(cmd.Email)
	var v validator
	v.email("email", email)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := a.authorize(by, shared); err != nil {
		return nil, err
	}
	if email == a.email {
		return nil, nil
	}
	return []Event{EmailChanged{AccountID: a.id, OldEmail: a.email, NewEmail: email}}, nil
}

func (a *Account) authorize(by Actor, shared []*Workspace) error {
	if !a.registered {
		return notFound("account not found")
	}
	if !MayManageAccount(by, a.id, shared) {
		return forbidden("only the account itself, a platform admin, or an admin of a workspace it belongs to may manage this account")
	}
	return nil
}

// MayManageAccount reports whether an actor may read and change an account's profile:
// the account itself, a platform admin, or an active admin or owner of one of the shared
// workspaces in which the account is a current (not deleted or purged) member that the
// actor reaches (an admin does not manage the owner).
func MayManageAccount(by Actor, account uuid.UUID, shared []*Workspace) bool {
	if by.PlatformAdmin || (!by.IsSystem() && by.AccountID == account) {
		return true
	}
	return slices.ContainsFunc(shared, func(w *Workspace) bool { return w.managesAccount(by, account) })
}
