package members

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"accessledger/domain"
	"accessledger/projections"
)

// Page sizes of ListMembers.
const (
	MembersDefaultLimit = 50
	MembersMaxLimit     = 500
	// MembersMaxQ bounds the text filter, in characters.
	MembersMaxQ = 200
)

// Member is one membership as the admin UI shows it.
type Member struct {
	WorkspaceID uuid.UUID
	AccountID   uuid.UUID
	Status      domain.MemberStatus
	Role        domain.WorkspaceRole // empty while pending
	// PreviousStatus is the status a deleted member is restored to; empty otherwise.
	PreviousStatus                           domain.MemberStatus
	Email, Login, FirstName, LastName, Phone string
	// InvitedAt is when the membership began: the invitation, the access request, or
	// the workspace's creation for its first owner.
	InvitedAt           time.Time
	JoinedAt            *time.Time // invitation accepted or access approved
	StatusChangedAt     time.Time
	DeletedAt           *time.Time
	InvitationExpiresAt *time.Time // while invited
	// SuspensionReason and SuspendedUntil describe the current or last suspension; they
	// are cleared when the member becomes active again.
	SuspensionReason string
	SuspendedUntil   *time.Time
	WelcomeSent      bool
	Projects         []MemberProject // by project id
	Clients          []uuid.UUID     // sorted
	Visas            []MemberVisa    // by category id
}

// MemberProject is a member's role in one project.
type MemberProject struct {
	ProjectID uuid.UUID
	Role      domain.ProjectRole
}

// MemberVisa is a visa a member holds on a booking category.
type MemberVisa struct {
	CategoryID uuid.UUID
	VisaID     uuid.UUID
	ValidUntil *time.Time
}

// MemberFilter selects and orders members. Zero fields select everything.
type MemberFilter struct {
	Status   []domain.MemberStatus // any of these; purged is not a listed status
	Role     domain.WorkspaceRole
	Project  uuid.UUID // has a role in the project
	Client   uuid.UUID // is linked to the client
	Category uuid.UUID // holds a visa on the booking category
	// Q matches a case-insensitive substring of "first last", the email or the login.
	Q string
	// Sort is name (first and last name, the default), email, status (lifecycle order),
	// role (by rank) or invited_at; a leading "-" sorts descending. Ties are broken by
	// account id in the same direction.
	Sort   string
	Cursor string // from the previous page's Next, with the same Sort
	Limit  int    // 0: MembersDefaultLimit; at most MembersMaxLimit
}

// MemberPage is one page of members; Next is the cursor of the next page, empty on the last.
type MemberPage struct {
	Members []Member
	Next    string
}

// columns are the columns every member query reads, matching scan.
func columns() string {
	return `m.workspace_id, m.account_id, m.status, m.role, m.previous_status, m.email, m.login, m.first_name, m.last_name, m.phone,
	m.invited_at, m.joined_at, m.status_changed_at, m.deleted_at, m.invitation_expires_at, m.suspension_reason, m.suspended_until, m.welcome_sent`
}

// addGrants reads the project roles, client links and visas of members (all of
// workspace ws) in one query, and sets them in order of id: one index scan per kind of
// grant for a whole page, rather than a subquery per member and kind.
func addGrants(ctx context.Context, q projections.Querier, ws uuid.UUID, members []Member) error {
	if len(members) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(members))
	index := make(map[uuid.UUID]*Member, len(members))
	for i := range members {
		ids[i] = members[i].AccountID
		index[ids[i]] = &members[i]
	}
	rows, err := q.Query(ctx, `SELECT account_id, 1, project_id, role, NULL::uuid, NULL::timestamptz FROM `+projections.Qualified(projections.ReadSchema, projectsTable)+
		` WHERE workspace_id = $1 AND account_id = ANY($2)
		UNION ALL SELECT account_id, 2, client_id, '', NULL, NULL FROM `+projections.Qualified(projections.ReadSchema, clientsTable)+
		` WHERE workspace_id = $1 AND account_id = ANY($2)
		UNION ALL SELECT account_id, 3, category_id, '', visa_id, valid_until FROM `+projections.Qualified(projections.ReadSchema, visasTable)+
		` WHERE workspace_id = $1 AND account_id = ANY($2)
		ORDER BY 1, 2, 3`, ws, ids)
	if err != nil {
		return fmt.Errorf("read the grants of %d members of %s: %w", len(members), ws, err)
	}
	var account, id uuid.UUID
	var kind int
	var role string
	var visa *uuid.UUID
	var until *time.Time
	_, err = pgx.ForEachRow(rows, []any{&account, &kind, &id, &role, &visa, &until}, func() error {
		m := index[account]
		switch kind {
		case 1:
			m.Projects = append(m.Projects, MemberProject{ProjectID: id, Role: domain.ProjectRole(role)})
		case 2:
			m.Clients = append(m.Clients, id)
		case 3:
			m.Visas = append(m.Visas, MemberVisa{CategoryID: id, VisaID: *visa, ValidUntil: optTime(until)})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the grants of %d members of %s: %w", len(members), ws, err)
	}
	return nil
}

// scan reads one row of columns, plus extra targets after them.
func scan(rows pgx.Row, extra ...any) (Member, error) {
	var m Member
	err := rows.Scan(append([]any{&m.WorkspaceID, &m.AccountID, &m.Status, &m.Role, &m.PreviousStatus, &m.Email, &m.Login,
		&m.FirstName, &m.LastName, &m.Phone, &m.InvitedAt, &m.JoinedAt, &m.StatusChangedAt, &m.DeletedAt, &m.InvitationExpiresAt,
		&m.SuspensionReason, &m.SuspendedUntil, &m.WelcomeSent}, extra...)...)
	if err != nil {
		return Member{}, err
	}
	m.InvitedAt, m.StatusChangedAt = m.InvitedAt.UTC(), m.StatusChangedAt.UTC()
	for _, t := range []**time.Time{&m.JoinedAt, &m.DeletedAt, &m.InvitationExpiresAt, &m.SuspendedUntil} {
		*t = optTime(*t)
	}
	m.Projects, m.Clients, m.Visas = []MemberProject{}, []uuid.UUID{}, []MemberVisa{}
	return m, nil
}

// GetMember answers the member detail of account in ws; false when the account has no
// membership there (never had, revoked, rejected or purged).
func GetMember(ctx context.Context, q projections.Querier, ws, account uuid.UUID) (_ Member, _ bool, err error) {
	defer projections.ReadFailed(&err)
	sql := "SELECT " + columns() + " FROM " + projections.Qualified(projections.ReadSchema, MembersTable) + " m WHERE m.workspace_id = $1 AND m.account_id = $2"
	m, err := scan(q.QueryRow(ctx, sql, ws, account))
	if errors.Is(err, pgx.ErrNoRows) {
		return Member{}, false, nil
	}
	if err != nil {
		return Member{}, false, fmt.Errorf("read member %s of %s: %w", account, ws, err)
	}
	one := []Member{m}
	if err := addGrants(ctx, q, ws, one); err != nil {
		return Member{}, false, err
	}
	return one[0], true, nil
}

// MemberCounts answers how many members of ws are in each status; every status but
// purged is present, zero when no member has it.
func MemberCounts(ctx context.Context, q projections.Querier, ws uuid.UUID) (_ map[domain.MemberStatus]int, err error) {
	defer projections.ReadFailed(&err)
	counts := map[domain.MemberStatus]int{}
	for _, s := range domain.MemberStatuses() {
		if s != domain.StatusPurged {
			counts[s] = 0
		}
	}
	rows, err := q.Query(ctx, "SELECT status, count(*) FROM "+projections.Qualified(projections.ReadSchema, MembersTable)+" WHERE workspace_id = $1 GROUP BY status", ws)
	if err != nil {
		return nil, fmt.Errorf("count members of %s: %w", ws, err)
	}
	var status domain.MemberStatus
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&status, &n}, func() error { counts[status] = n; return nil }); err != nil {
		return nil, fmt.Errorf("count members of %s: %w", ws, err)
	}
	return counts, nil
}

// ListMembers answers one page of the members of ws that f selects, in f's order, with a
// keyset cursor. An invalid filter, sort or cursor answers an error wrapping
// ErrInvalidQuery.
func ListMembers(ctx context.Context, q projections.Querier, ws uuid.UUID, f MemberFilter) (_ MemberPage, err error) {
	defer projections.ReadFailed(&err)
	sort, limit, err := f.validate()
	if err != nil {
		return MemberPage{}, err
	}
	after, err := sort.decode(f.Cursor)
	if err != nil {
		return MemberPage{}, err
	}
	where, args := f.where(ws, sort, after)
	dir := "ASC"
	if sort.desc {
		dir = "DESC"
	}
	sql := "SELECT " + columns() + ", m." + sort.column + " FROM " + projections.Qualified(projections.ReadSchema, MembersTable) + " m WHERE " + where +
		" ORDER BY m." + sort.column + " " + dir + ", m.account_id " + dir + " LIMIT " + strconv.Itoa(limit+1)
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return MemberPage{}, fmt.Errorf("list members of %s: %w", ws, err)
	}
	defer rows.Close()
	page := MemberPage{Members: []Member{}}
	var last any
	for rows.Next() {
		if len(page.Members) == limit { // the extra row: there is a next page
			page.Next = sort.encode(last, page.Members[limit-1].AccountID)
			break
		}
		m, err := scan(rows, &last)
		if err != nil {
			return MemberPage{}, fmt.Errorf("list members of %s: %w", ws, err)
		}
		page.Members = append(page.Members, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return MemberPage{}, fmt.Errorf("list members of %s: %w", ws, err)
	}
	if err := addGrants(ctx, q, ws, page.Members); err != nil {
		return MemberPage{}, err
	}
	return page, nil
}
