package spend

import (
	"time"

	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/access"
)

// SpendScopes is the read model of the spend scopes workspaces define: providers, cloud
// accounts, subscriptions and spend groups. CheckAccess reads one row of it (joined with
// its parent's) to know what covers a scope: its ancestors and groups, resolved at check
// time, so that a grant covers scopes defined after it without any row being rewritten.
type SpendScopes struct{}

// Name implements Projection.
func (SpendScopes) Name() string { return "spend" }

// BatchInterval implements projections.Paced: spend scopes are read by people setting them up.
func (SpendScopes) BatchInterval() time.Duration { return projections.BackgroundInterval }

// Version implements Projection.
func (SpendScopes) Version() int { return 1 }

// Tables implements Projection.
func (SpendScopes) Tables() []string { return []string{access.SpendScopesTable} }

// Setup implements Projection. parent is empty for providers and groups; groups is a
// JSON array of the spend groups a cloud account or subscription is assigned to.
func (SpendScopes) Setup(ctx context.Context, tx pgx.Tx, schema string) error {
	ddl := fmt.Sprintf(`
CREATE TABLE %s (
    workspace_id uuid  NOT NULL,
    scope        text  NOT NULL,
    parent       text  NOT NULL,
    groups       jsonb NOT NULL,
    PRIMARY KEY (workspace_id, scope)
);`, projections.Qualified(schema, access.SpendScopesTable))
	if _, err := tx.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create spend tables: %w", err)
	}
	return nil
}

// key names one spend scope of one workspace.
type key struct {
	ws    uuid.UUID
	scope string
}

// node is a stored spend scope.
type node struct {
	parent string
	groups map[string]bool
}

// Apply implements Projection: it reads the scopes the batch touches in one query, folds
// the batch in memory and upserts them in one statement.
func (SpendScopes) Apply(ctx context.Context, tx pgx.Tx, schema string, batch []projections.Envelope) error {
	var touched []key
	for i := range batch {
		if k, ok := touchedScope(&batch[i]); ok {
			touched = append(touched, k)
		}
	}
	if len(touched) == 0 {
		return nil
	}
	nodes, err := load(ctx, tx, schema, touched)
	if err != nil {
		return err
	}
	for i := range batch {
		fold(nodes, &batch[i])
	}
	return write(ctx, tx, schema, nodes)
}

// touchedScope answers the scope a spend event changes.
func touchedScope(env *projections.Envelope) (key, bool) {
	ws, ok := env.WorkspaceStream()
	if !ok {
		return key{}, false
	}
	switch e := env.Payload.(type) {
	case domain.SpendScopeDefined:
		return key{ws, e.Scope}, true
	case domain.SpendScopeGrouped:
		return key{ws, e.Scope}, true
	case domain.SpendScopeUngrouped:
		return key{ws, e.Scope}, true
	}
	return key{}, false
}

func fold(nodes map[key]*node, env *projections.Envelope) {
	k, ok := touchedScope(env)
	if !ok {
		return
	}
	n := nodes[k]
	if n == nil {
		n = &node{groups: map[string]bool{}}
		nodes[k] = n
	}
	switch e := env.Payload.(type) {
	case domain.SpendScopeDefined:
		n.parent = e.Parent
	case domain.SpendScopeGrouped:
		n.groups[e.Group] = true
	case domain.SpendScopeUngrouped:
		delete(n.groups, e.Group)
	}
}

func load(ctx context.Context, tx pgx.Tx, schema string, keys []key) (map[key]*node, error) {
	ws, scopes := make([][16]byte, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		ws[i], scopes[i] = k.ws, k.scope
	}
	rows, err := tx.Query(ctx, "SELECT t.workspace_id, t.scope, t.parent, t.groups FROM "+projections.Qualified(schema, access.SpendScopesTable)+
		" t JOIN unnest($1::uuid[], $2::text[]) k(ws, scope) ON t.workspace_id = k.ws AND t.scope = k.scope", ws, scopes)
	if err != nil {
		return nil, fmt.Errorf("load spend scopes: %w", err)
	}
	out := map[key]*node{}
	var k key
	var parent string
	var groups []string
	_, err = pgx.ForEachRow(rows, []any{(*[16]byte)(&k.ws), &k.scope, &parent, &groups}, func() error {
		n := &node{parent: parent, groups: map[string]bool{}}
		for _, g := range groups {
			n.groups[g] = true
		}
		out[k] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load spend scopes: %w", err)
	}
	return out, nil
}

func write(ctx context.Context, tx pgx.Tx, schema string, nodes map[key]*node) error {
	var ws [][16]byte
	var scopes, parents, groups []string
	for k, n := range nodes {
		doc, err := json.Marshal(append([]string{}, slices.Sorted(maps.Keys(n.groups))...))
		if err != nil {
			return fmt.Errorf("encode groups of %s: %w", k.scope, err)
		}
		ws, scopes, parents, groups = append(ws, k.ws), append(scopes, k.scope), append(parents, n.parent), append(groups, string(doc))
	}
	_, err := tx.Exec(ctx, "INSERT INTO "+projections.Qualified(schema, access.SpendScopesTable)+` SELECT ws, s, p, g::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) k(ws, s, p, g)
		ON CONFLICT (workspace_id, scope) DO UPDATE SET parent = excluded.parent, groups = excluded.groups`, ws, scopes, parents, groups)
	if err != nil {
		return fmt.Errorf("write spend scopes: %w", err)
	}
	return nil
}
