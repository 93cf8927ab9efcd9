package domain

import "github.com/google/uuid"

// Actor is whoever issues a command. Authority comes from the workspace roster at decision
// time, never from the actor value itself, except for the two platform-level facts it
// carries: PlatformAdmin and the project roles the caller loaded.
type Actor struct {
	// AccountID is the acting account; uuid.Nil means the system actor.
	AccountID uuid.UUID
	// PlatformAdmin acts with owner authority in every workspace.
	PlatformAdmin bool
	// ProjectRoles are the actor's own project roles in the command's workspace. The caller
	// loads them from the actor's member stream for project commands; elsewhere they may
	// stay empty.
	ProjectRoles map[uuid.UUID]ProjectRole
}

// SystemActor answers the actor of scheduled work (purges, visa expiry). Only commands that
// say so accept it.
func SystemActor() Actor { return Actor{} }

// IsSystem reports whether a is the system actor.
func (a Actor) IsSystem() bool { return a.AccountID == uuid.Nil }

// String answers what event metadata records as the actor: the account id, or "system".
func (a Actor) String() string {
	if a.IsSystem() {
		return "system"
	}
	return a.AccountID.String()
}
