package access

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
)

// SpendScopesTable keeps, per workspace, each spend scope with its parent and its
// groups. The spend read model (package spend) writes it and the check reads it; it is
// declared here because spend builds its rows with this package's types.
const SpendScopesTable = "spend_scopes"

// ReasonFullAccess answers a check on spend data for a member without any spend grant
// (by default every member has full access to spend data), and a check to read a legal
// entity's catalogs and documents for a member without any legal-entity grant (by
// default every member sees every entity's).
const ReasonFullAccess = "full_access"

// spendAll and entitiesAll are the scopes of the default rows
// (scope:spend:*:<level>, scope:legal_entity:*:read) that a member without any grant of
// the kind holds. '*' is no valid scope id, so no grant and no asked action can name them.
const (
	spendAll    = "spend:*"
	entitiesAll = domain.LegalEntity + ":*"
)

// defaultRows answers the default rows of a member's scopes: full access to spend
// data while the member holds no spend grant, and reading every legal entity's catalogs
// and documents while the member holds no legal-entity grant. Once the member holds one
// of a kind, the grants of that kind alone decide.
func defaultRows(scopes map[string]domain.ScopeLevel) []Row {
	spend, entities := false, false
	for scope := range scopes {
		spend = spend || domain.IsSpendScope(scope)
		entities = entities || domain.IsLegalEntityScope(scope)
	}
	var rows []Row
	if !spend {
		rows = append(rows, Row{Action: ScopeAction(spendAll, domain.ScopeWrite), Allowed: true},
			Row{Action: ScopeAction(spendAll, domain.ScopeRead), Allowed: true})
	}
	if !entities {
		rows = append(rows, Row{Action: ScopeAction(entitiesAll, domain.ScopeRead), Allowed: true})
	}
	return rows
}

// defaultFull reports whether found is a default row.
func defaultFull(found string) bool {
	return strings.HasPrefix(found, ActionScope+":"+spendAll+":") || strings.HasPrefix(found, ActionScope+":"+entitiesAll+":")
}

// entityCandidates answers, for a check on a legal entity, the default row after its own.
func entityCandidates(a Action) []string {
	if a.Kind != ActionScope || !domain.IsLegalEntityScope(a.Scope) {
		return nil
	}
	return []string{ScopeAction(entitiesAll, a.Level)}
}

// spendCandidates answers, for a check on a spend scope, the rows that also allow it after
// its own: the scope's parent and grandparent (a grant on a provider or cloud account
// covers everything under it, defined before or after the grant), the spend groups the
// scope or its cloud account is in, and the full-access default. It reads one row of the
// spend read model, joined with its parent's row: two primary-key lookups in one
// statement. Any other scope answers none.
func spendCandidates(ctx context.Context, q projections.Querier, ws uuid.UUID, a Action) ([]string, error) {
	if a.Kind != ActionScope || !domain.IsSpendScope(a.Scope) {
		return nil, nil
	}
	var parent, grandparent string
	var groups, parentGroups []string
	t := projections.Qualified(projections.ReadSchema, SpendScopesTable)
	err := q.QueryRow(ctx, "SELECT n.parent, n.groups, coalesce(p.parent, ''), coalesce(p.groups, '[]') FROM "+t+" n LEFT JOIN "+t+
		" p ON p.workspace_id = n.workspace_id AND p.scope = n.parent WHERE n.workspace_id = $1 AND n.scope = $2",
		[16]byte(ws), a.Scope).Scan(&parent, &groups, &grandparent, &parentGroups)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("resolve spend scope %s in %s: %w", a.Scope, ws, err)
	}
	var out []string
	for _, s := range nonEmpty(parent, grandparent) {
		out = append(out, ScopeAction(s, a.Level))
	}
	for _, g := range append(groups, parentGroups...) {
		out = append(out, ScopeAction(g, a.Level))
	}
	return append(out, ScopeAction(spendAll, a.Level)), nil
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
