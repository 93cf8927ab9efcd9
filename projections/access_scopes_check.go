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

// ReasonFullAccess answers a check on spend data for a member without any spend grant
// (by default every member has full access to spend data), and a check to read a legal
// entity's catalogs and documents for a member without any legal-entity grant (by
// default every member sees every entity's).
const ReasonFullAccess = "full_access"

// accessSpendAll and accessEntitiesAll are the scopes of the default rows
// (scope:spend:*:<level>, scope:legal_entity:*:read) that a member without any grant of
// the kind holds. '*' is no valid scope id, so no grant and no asked action can name them.
const (
	accessSpendAll    = "spend:*"
	accessEntitiesAll = domain.LegalEntity + ":*"
)

// accessDefaultRows answers the default rows of a member's scopes: full access to spend
// data while the member holds no spend grant, and reading every legal entity's catalogs
// and documents while the member holds no legal-entity grant. Once the member holds one
// of a kind, the grants of that kind alone decide.
func accessDefaultRows(scopes map[string]domain.ScopeLevel) []accessRow {
	spend, entities := false, false
	for scope := range scopes {
		spend = spend || domain.IsSpendScope(scope)
		entities = entities || domain.IsLegalEntityScope(scope)
	}
	var rows []accessRow
	if !spend {
		rows = append(rows, accessRow{action: accessScopeAction(accessSpendAll, domain.ScopeWrite), allowed: true},
			accessRow{action: accessScopeAction(accessSpendAll, domain.ScopeRead), allowed: true})
	}
	if !entities {
		rows = append(rows, accessRow{action: accessScopeAction(accessEntitiesAll, domain.ScopeRead), allowed: true})
	}
	return rows
}

// accessDefaultFull reports whether found is a default row.
func accessDefaultFull(found string) bool {
	return strings.HasPrefix(found, ActionScope+":"+accessSpendAll+":") || strings.HasPrefix(found, ActionScope+":"+accessEntitiesAll+":")
}

// entityCandidates answers, for a check on a legal entity, the default row after its own.
func entityCandidates(a Action) []string {
	if a.Kind != ActionScope || !domain.IsLegalEntityScope(a.Scope) {
		return nil
	}
	return []string{accessScopeAction(accessEntitiesAll, a.Level)}
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
	t := Qualified(ReadSchema, spendScopesTable)
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
