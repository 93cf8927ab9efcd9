package access

import (
	"accessledger/projections"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Reasons of a Decision: short, stable words that clients may switch on.
const (
	ReasonGranted       = "granted"        // an explicit grant allows it
	ReasonRoleDefault   = "role_default"   // the member's workspace role allows it by default
	ReasonWorkspaceRole = "workspace_role" // the owner and admins hold every role in every live project
	ReasonNotAMember    = "not_a_member"   // the account is not on the workspace's roster
	ReasonInactive      = "inactive"       // a member, but not active (invited, pending, suspended, deactivated, deleted, purged)
	ReasonNoGrant       = "no_grant"       // an active member without a grant for the action
	ReasonExpired       = "expired"        // the grant ended (a visa's valid_until) before now
	ReasonDenied        = "denied"         // a permission override denies it
)

// Decision answers an access check.
type Decision struct {
	Allowed bool
	Reason  string // one of the Reason* words
}

// CheckAccess answers whether account may do action in workspace ws at now, from one
// indexed read of the check table: the action's own row, else the row of what the
// workspace role gives (a feature's default; every role in a project for the owner and
// admins), else the member row that tells an active member without a grant from
// an inactive member or a stranger. The action must parse with ParseAction; an invalid
// one answers an error wrapping ErrInvalidQuery.
func CheckAccess(ctx context.Context, q projections.Querier, ws, account uuid.UUID, action string, now time.Time) (_ Decision, err error) {
	defer projections.ReadFailed(&err)
	a, err := ParseAction(action)
	if err != nil {
		return Decision{}, err
	}
	candidates := []string{a.String()}
	if w, ok := a.wildcard(); ok {
		candidates = append(candidates, w)
	}
	spend, err := spendCandidates(ctx, q, ws, a) // a spend scope's ancestors, groups and default
	if err != nil {
		return Decision{}, err
	}
	candidates = append(candidates, spend...)
	candidates = append(candidates, entityCandidates(a)...)
	candidates = append(candidates, memberAction)
	var found string
	var allowed bool
	var until *time.Time
	err = q.QueryRow(ctx, "SELECT action, allowed, valid_until FROM "+projections.Qualified(projections.ReadSchema, checksTable)+
		` WHERE workspace_id = $1 AND account_id = $2 AND action = ANY($3::text[])
		ORDER BY array_position($3::text[], action) LIMIT 1`, [16]byte(ws), [16]byte(account), candidates).Scan(&found, &allowed, &until)
	if errors.Is(err, pgx.ErrNoRows) {
		return Decision{Reason: ReasonNotAMember}, nil
	}
	if err != nil {
		return Decision{}, fmt.Errorf("check access %s of %s in %s: %w", action, account, ws, err)
	}
	return decide(found, allowed, until, now), nil
}

func decide(found string, allowed bool, until *time.Time, now time.Time) Decision {
	switch {
	case found == memberAction && allowed:
		return Decision{Reason: ReasonNoGrant}
	case found == memberAction:
		return Decision{Reason: ReasonInactive}
	case !allowed:
		return Decision{Reason: ReasonDenied}
	case until != nil && !now.Before(*until):
		return Decision{Reason: ReasonExpired}
	case found == featureWildcard:
		return Decision{Allowed: true, Reason: ReasonRoleDefault}
	case defaultFull(found):
		return Decision{Allowed: true, Reason: ReasonFullAccess}
	case strings.HasPrefix(found, ActionProject+":") && strings.HasSuffix(found, projectWildcard):
		return Decision{Allowed: true, Reason: ReasonWorkspaceRole}
	}
	return Decision{Allowed: true, Reason: ReasonGranted}
}
