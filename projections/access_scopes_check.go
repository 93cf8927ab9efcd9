package projections

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
)

// ReasonFullAccess answers a check on spend data for a member without any spend grant:
// by default every member has full access to spend data.
const ReasonFullAccess = "full_access"

// accessSpendAll is the scope of the rows scope:spend:*:<level> that a member without any
// spend grant holds (full access by default). '*' is no valid scope id, so no grant and no
// asked action can name it.
const accessSpendAll = "spend:*"

// accessSpendDefaultRows answers the full-access rows of a member whose scopes hold no
// spend scope: by default each member has full access to spend data; once the member
// holds any spend grant, the grants alone decide.
func accessSpendDefaultRows(scopes map[string]domain.ScopeLevel) []accessRow {
	for scope := range scopes {
		if domain.IsSpendScope(scope) {
			return nil
		}
	}
	return []accessRow{
		{action: accessScopeAction(accessSpendAll, domain.ScopeWrite), allowed: true},
		{action: accessScopeAction(accessSpendAll, domain.ScopeRead), allowed: true},
	}
}

// accessSpendFull reports whether found is a full-access row.
func accessSpendFull(found string) bool {
	return strings.HasPrefix(found, ActionScope+":"+accessSpendAll+":")
}

// spendCandidates answers, for a check on a spend scope, the rows that also allow it after
// its own: the scope's parent and grandparent (a grant on a provider or cloud account
// covers everything under it, defined before or after the grant), the spend groups the
// scope or its cloud account is in, and the full-access default. It reads one row of the
// spend read model, joined with its parent's row: two primary-key lookups in one
// statement. Any other scope answers none.
func spendCandidates(ctx context.Context, q Querier, ws uuid.UUID, a Action) ([]string, error) {
	if a.Kind != ActionScope || !domain.IsSpendScope(a.Scope) {
		return nil, nil
	}
	var parent, grandparent string
	var groups, parentGroups []string
	t := qualified(ReadSchema, spendScopesTable)
	err := q.QueryRow(ctx, "SELECT n.parent, n.groups, coalesce(p.parent, ''), coalesce(p.groups, '[]') FROM "+t+" n LEFT JOIN "+t+
		" p ON p.workspace_id = n.workspace_id AND p.scope = n.parent WHERE n.workspace_id = $1 AND n.scope = $2",
		[16]byte(ws), a.Scope).Scan(&parent, &groups, &grandparent, &parentGroups)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("resolve spend scope %s in %s: %w", a.Scope, ws, err)
	}
	var out []string
	for _, s := range nonEmpty(parent, grandparent) {
		out = append(out, accessScopeAction(s, a.Level))
	}
	for _, g := range append(groups, parentGroups...) {
		out = append(out, accessScopeAction(g, a.Level))
	}
	return append(out, accessScopeAction(accessSpendAll, a.Level)), nil
}

// nonEmpty answers the non-empty ones of a and b.
func nonEmpty(a, b string) []string {
	var out []string
	for _, s := range []string{a, b} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
