package members

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// Tables of the members read model. membersAccountsTable is also read, through its rm
// view, by the activity log to render names at query time.
const (
	AccountsTable = "members_accounts"
	MembersTable  = "members_members"
	projectsTable = "members_projects"
	clientsTable  = "members_clients"
	visasTable    = "members_visas"
	// searchTable holds the text search key of each member apart from the member
	// row: a roster change rewrites the row, but only a new member or a changed name or
	// email writes here, so the trigram index (whose pending list flushes stalled the
	// projection every second or two when every row change fed it) grows only with those.
	searchTable = "members_search"
)

// searchText is the SQL expression of a member row's search key.
const searchText = "lower(first_name || ' ' || last_name || ' ' || email || ' ' || login)"

// Members is the read model of the admin UI's member list and member detail: one row per
// membership (workspace, account) with its roster state, the account's personal data
// copied in, and the member's project roles, client links and booking visas for filters.
// Revoked invitations, rejected requests and purged members have no row.
type Members struct{}

// Name implements Projection.
func (Members) Name() string { return "members" }

// Version implements Projection. 2: the text search index leads with the workspace.
// 3: settings, scopes and the workspace's projects, for the member detail. 4: the search
// key in a table of its own.
func (Members) Version() int { return 4 }

// Tables implements Projection.
func (Members) Tables() []string {
	return []string{AccountsTable, MembersTable, projectsTable, clientsTable, visasTable,
		settingsTable, scopesTable, catalogTable, searchTable}
}

// Setup implements Projection. The member table carries a generated sort key so that
// every sort order has an index; the search keys live in searchTable, whose
// trigram index needs pg_trgm (migrations/003_extensions.sql).
func (Members) Setup(ctx context.Context, tx pgx.Tx, schema string) error {
	ddl := fmt.Sprintf(`
CREATE TABLE %[1]s (
    account_id uuid PRIMARY KEY,
    email      text NOT NULL,
    login      text NOT NULL,
    first_name text NOT NULL,
    last_name  text NOT NULL,
    phone      text NOT NULL
);
CREATE TABLE %[2]s (
    workspace_id          uuid        NOT NULL,
    account_id            uuid        NOT NULL,
    status                text        NOT NULL,
    status_rank           smallint    NOT NULL,
    role                  text        NOT NULL,
    role_rank             smallint    NOT NULL,
    previous_status       text        NOT NULL,
    invited_at            timestamptz NOT NULL,
    joined_at             timestamptz,
    status_changed_at     timestamptz NOT NULL,
    deleted_at            timestamptz,
    invitation_expires_at timestamptz,
    suspension_reason     text        NOT NULL,
    suspended_until       timestamptz,
    welcome_sent          boolean     NOT NULL,
    email                 text        NOT NULL DEFAULT '',
    login                 text        NOT NULL DEFAULT '',
    first_name            text        NOT NULL DEFAULT '',
    last_name             text        NOT NULL DEFAULT '',
    phone                 text        NOT NULL DEFAULT '',
    sort_name text GENERATED ALWAYS AS (lower(first_name || ' ' || last_name)) STORED,
    PRIMARY KEY (workspace_id, account_id)
);
CREATE INDEX ON %[2]s (account_id);
CREATE TABLE %[3]s (
    workspace_id uuid NOT NULL,
    account_id   uuid NOT NULL,
    project_id   uuid NOT NULL,
    role         text NOT NULL,
    PRIMARY KEY (workspace_id, account_id, project_id)
);
CREATE TABLE %[4]s (
    workspace_id uuid NOT NULL,
    account_id   uuid NOT NULL,
    client_id    uuid NOT NULL,
    PRIMARY KEY (workspace_id, account_id, client_id)
);
CREATE TABLE %[5]s (
    workspace_id uuid        NOT NULL,
    account_id   uuid        NOT NULL,
    category_id  uuid        NOT NULL,
    visa_id      uuid        NOT NULL,
    valid_until  timestamptz,
    PRIMARY KEY (workspace_id, account_id, category_id)
);
CREATE TABLE %[6]s (
    workspace_id uuid NOT NULL,
    account_id   uuid NOT NULL,
    overrides    jsonb,
    security     jsonb,
    contract     jsonb,
    PRIMARY KEY (workspace_id, account_id)
);
CREATE TABLE %[7]s (
    workspace_id uuid NOT NULL,
    account_id   uuid NOT NULL,
    scope        text NOT NULL,
    level        text NOT NULL,
    PRIMARY KEY (workspace_id, account_id, scope)
);
CREATE TABLE %[8]s (
    workspace_id uuid    NOT NULL,
    project_id   uuid    NOT NULL,
    archived     boolean NOT NULL,
    PRIMARY KEY (workspace_id, project_id)
);
CREATE TABLE %[9]s (
    workspace_id uuid NOT NULL,
    account_id   uuid NOT NULL,
    search       text NOT NULL,
    PRIMARY KEY (workspace_id, account_id)
);`,
		projections.Qualified(schema, AccountsTable), projections.Qualified(schema, MembersTable),
		projections.Qualified(schema, projectsTable), projections.Qualified(schema, clientsTable),
		projections.Qualified(schema, visasTable), projections.Qualified(schema, settingsTable),
		projections.Qualified(schema, scopesTable), projections.Qualified(schema, catalogTable), projections.Qualified(schema, searchTable))
	if _, err := tx.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create members tables: %w", err)
	}
	return nil
}

// QueryIndexes implements QueryIndexer: the sort orders, the text search and the
// filters by project, client and category serve the list; Apply finds rows by their
// keys and by account.
func (Members) QueryIndexes(schema string) []string {
	members := projections.Qualified(schema, MembersTable)
	return []string{
		"CREATE INDEX ON " + members + " (workspace_id, sort_name, account_id)",
		"CREATE INDEX ON " + members + " (workspace_id, email, account_id)",
		"CREATE INDEX ON " + members + " (workspace_id, status_rank, account_id)",
		"CREATE INDEX ON " + members + " (workspace_id, role_rank, account_id)",
		"CREATE INDEX ON " + members + " (workspace_id, invited_at, account_id)",
		// Led by the workspace (btree_gin); its pending list is merged by the runtime
		// (see GINPendingListLimit), not by the projector's inserts.
		"CREATE INDEX ON " + projections.Qualified(schema, searchTable) + " USING gin (workspace_id, search gin_trgm_ops) WITH (gin_pending_list_limit = " + strconv.Itoa(projections.GINPendingListLimit) + ")",
		"CREATE INDEX ON " + projections.Qualified(schema, projectsTable) + " (workspace_id, project_id)",
		"CREATE INDEX ON " + projections.Qualified(schema, clientsTable) + " (workspace_id, client_id)",
		"CREATE INDEX ON " + projections.Qualified(schema, visasTable) + " (workspace_id, category_id)",
	}
}

// statusRank orders statuses as the lifecycle does (invited first, deleted last),
// which is the order the member list sorts by status in.
func statusRank(s domain.MemberStatus) int {
	return slices.Index(domain.MemberStatuses(), s) + 1
}

// EventTime answers when an event took effect, in UTC at the store's microsecond
// precision, so that values compared in memory and in cursors agree with stored ones.
func EventTime(env *projections.Envelope) time.Time {
	return env.Metadata.OccurredAt.UTC().Truncate(time.Microsecond)
}

// optTime answers a copy of an optional time in UTC at microsecond precision.
func optTime(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// prefetchKeys answers the memberships and accounts whose stored rows the batch's
// events change, so that each table is read with one query.
func prefetchKeys(batch []projections.Envelope) ([]roster.Member, []uuid.UUID) {
	seenRow, seenAcc := map[roster.Member]bool{}, map[uuid.UUID]bool{}
	var rows []roster.Member
	var accounts []uuid.UUID
	for i := range batch {
		if ws, ok := batch[i].WorkspaceStream(); ok {
			for _, account := range rosterAccounts(batch[i].Payload) {
				if k := (roster.Member{WS: ws, Account: account}); !seenRow[k] {
					seenRow[k] = true
					rows = append(rows, k)
				}
			}
			continue
		}
		var id uuid.UUID
		switch e := batch[i].Payload.(type) {
		case domain.ProfileChanged:
			id = e.AccountID
		case domain.EmailChanged:
			id = e.AccountID
		default:
			continue
		}
		if !seenAcc[id] {
			seenAcc[id] = true
			accounts = append(accounts, id)
		}
	}
	return rows, accounts
}

// rosterAccounts answers the accounts whose membership a roster event changes.
func rosterAccounts(e domain.Event) []uuid.UUID {
	switch e := e.(type) {
	case domain.OwnershipTransferred:
		return []uuid.UUID{e.From, e.To}
	case domain.MemberInvited, domain.AccessRequested, domain.InvitationRevoked, domain.InvitationExpired,
		domain.AccessRejected, domain.MemberPurged:
		return nil // creations and removals replace the row whatever it held: nothing to read
	case domain.RosterEvent:
		return []uuid.UUID{e.Account()}
	}
	return nil
}
