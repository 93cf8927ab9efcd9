package access

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// Tables of the access-check read model.
const (
	// checksTable is the narrow table other services' checks read: one row per
	// (workspace, account, action) that is allowed (or explicitly denied).
	checksTable = "access_checks"
	// membersTable keeps each member's roster entry and grants, from which the
	// member's check rows are recomputed.
	membersTable = "access_members"
	// workspacesTable keeps each workspace's configuration that checks depend on.
	workspacesTable = "access_workspaces"
)

// Special actions of the check table.
const (
	// memberAction is on the roster for every member: allowed while the member is
	// active. A check that finds only this row answers no_grant (active) or inactive.
	memberAction = "*"
	// featureWildcard holds the role's default for every feature key.
	featureWildcard = "feature:*"
	// projectWildcard ends the row project:<id>:* that the owner and admins hold for
	// every live project: every project role, by their workspace role.
	projectWildcard = ":*"
)

// AccessCheck is the read model behind "may account A do action X in workspace W",
// answered by CheckAccess from one indexed read of access_checks. Apply keeps, beside it,
// each member's roster entry and grants and each workspace's configuration, and rewrites
// a member's check rows whenever one of those changes.
type AccessCheck struct{}

// Name implements Projection.
func (AccessCheck) Name() string { return "access" }

// Version implements Projection. 3: the default row of legal entities' catalogs and
// documents.
func (AccessCheck) Version() int { return 3 }

// Tables implements Projection.
func (AccessCheck) Tables() []string {
	return []string{checksTable, membersTable, workspacesTable}
}

// Setup implements Projection.
func (AccessCheck) Setup(ctx context.Context, tx pgx.Tx, schema string) error {
	ddl := fmt.Sprintf(`
CREATE TABLE %[1]s (
    workspace_id uuid    NOT NULL,
    account_id   uuid    NOT NULL,
    action       text    NOT NULL,
    allowed      boolean NOT NULL,
    valid_until  timestamptz,
    PRIMARY KEY (workspace_id, account_id, action)
);
CREATE TABLE %[2]s (
    workspace_id uuid  NOT NULL,
    account_id   uuid  NOT NULL,
    status       text  NOT NULL, -- empty: grants of an account no longer on the roster
    role         text  NOT NULL,
    grants       jsonb NOT NULL,
    PRIMARY KEY (workspace_id, account_id)
);
CREATE TABLE %[3]s (
    workspace_id uuid  PRIMARY KEY,
    config       jsonb NOT NULL
);`, projections.Qualified(schema, checksTable), projections.Qualified(schema, membersTable), projections.Qualified(schema, workspacesTable))
	if _, err := tx.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create access tables: %w", err)
	}
	return nil
}

// visa is a visa grant on a category.
type visa struct {
	Visa  uuid.UUID  `json:"visa"`
	Until *time.Time `json:"until,omitempty"`
}

// grants is what a member is granted that checks depend on (client links, contract
// and security settings decide no check).
type grants struct {
	Projects map[uuid.UUID]domain.ProjectRole `json:"projects,omitempty"`
	Visas    map[uuid.UUID]visa               `json:"visas,omitempty"` // by category
	Grant    []string                         `json:"grant,omitempty"`
	Deny     []string                         `json:"deny,omitempty"`
	Scopes   map[string]domain.ScopeLevel     `json:"scopes,omitempty"`
}

func (g *grants) empty() bool {
	return len(g.Projects) == 0 && len(g.Visas) == 0 && len(g.Grant) == 0 && len(g.Deny) == 0 && len(g.Scopes) == 0
}

// memberState is one member's stored state.
type memberState struct {
	entry  roster.Entry
	grants grants
}

// module is a module's configuration.
type module struct {
	Enabled bool                 `json:"enabled"`
	MinRole domain.WorkspaceRole `json:"min_role"`
}

// config is a workspace's configuration that checks depend on.
type config struct {
	Modules  map[string]module  `json:"modules,omitempty"`
	Projects map[uuid.UUID]bool `json:"projects,omitempty"` // created, archived or not
	Archived map[uuid.UUID]bool `json:"archived,omitempty"` // projects
	Retired  map[uuid.UUID]bool `json:"retired,omitempty"`  // booking categories and visas
}

// Row is one row of the check table.
type Row struct {
	Action     string
	Allowed    bool
	validUntil *time.Time
}
