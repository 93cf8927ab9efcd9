// Package domain is the pure core of accessledger: aggregates, commands, events, decisions
// and policies for workspaces, their rosters, members' access and accounts.
//
// Nothing here performs I/O, reads a clock or draws random numbers. A decision is a
// function of (state, actor, command, now) that answers the events to append, or a
// typed *Error. State is rebuilt by applying events in stream order:
//
//	ws := new(domain.Workspace)
//	for _, e := range stored { ws.Apply(e) }
//	events, err := ws.InviteUser(actor, cmd, now)
//
// The caller (package app) loads the streams a decision needs, calls it, and appends its
// events to ONE stream with an exact expected version. Decisions that read a second
// aggregate (member access reads the workspace roster, CopyPermissions reads two members)
// take it as a parameter and never write to it; the multi-step commands of docs/domain.md are
// sequences of such single-stream decisions.
//
// Personal data (email, login, names, phone) appears only in account events; every other
// event refers to accounts by id, so that erasing a person touches one stream type.
package domain
