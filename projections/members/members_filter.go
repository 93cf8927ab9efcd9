package members

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
)

// where answers the filter's condition on m with its arguments.
func (f MemberFilter) where(ws uuid.UUID, sort sort, after *pageCursor) (string, []any) {
	conds, args := []string{"m.workspace_id = $1"}, []any{ws}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if len(f.Status) > 0 {
		names := make([]string, len(f.Status))
		for i, s := range f.Status {
			names[i] = string(s)
		}
		conds = append(conds, "m.status = ANY("+arg(names)+"::text[])")
	}
	if f.Role != "" {
		conds = append(conds, "m.role = "+arg(string(f.Role)))
	}
	has := func(table, column string, id uuid.UUID) {
		if id != uuid.Nil {
			conds = append(conds, "EXISTS (SELECT 1 FROM "+projections.Qualified(projections.ReadSchema, table)+" x WHERE x.workspace_id = m.workspace_id AND x.account_id = m.account_id AND x."+column+" = "+arg(id)+")")
		}
	}
	has(projectsTable, "project_id", f.Project)
	has(clientsTable, "client_id", f.Client)
	has(visasTable, "category_id", f.Category)
	if q := strings.ToLower(strings.TrimSpace(f.Q)); q != "" {
		// The search key is lowercased at write time; LIKE on it uses the trigram index
		// with the trigrams of at most searchKeyLen characters of q, and strpos, which no
		// index serves, checks the rows found for the whole of q. A long q, such as an
		// email, would otherwise walk the posting lists of every one of its trigrams,
		// common ones (the domain) included, for no better selection.
		match := "s.search LIKE " + arg("%"+likeEscaper.Replace(searchKey(q))+"%")
		if searchKey(q) != q {
			match += " AND strpos(s.search, " + arg(q) + ") > 0"
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM "+projections.Qualified(projections.ReadSchema, searchTable)+
			" s WHERE s.workspace_id = m.workspace_id AND s.account_id = m.account_id AND "+match+")")
	}
	if after != nil {
		op := ">"
		if sort.desc {
			op = "<"
		}
		conds = append(conds, "(m."+sort.column+", m.account_id) "+op+" ("+arg(after.value)+", "+arg(after.account)+")")
	}
	return strings.Join(conds, " AND "), args
}

// searchKeyLen is how many characters of a text search the trigram index is asked
// for: about ten trigrams, which single out a row among a workspace's members.
const searchKeyLen = 12

// searchKey answers the part of q the trigram index looks up: its first searchKeyLen
// characters.
func searchKey(q string) string {
	if r := []rune(q); len(r) > searchKeyLen {
		return string(r[:searchKeyLen])
	}
	return q
}

// likeEscaper makes a text a literal LIKE pattern (backslash is LIKE's escape).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (f MemberFilter) validate() (sort, int, error) {
	limit := f.Limit
	switch {
	case limit == 0:
		limit = MembersDefaultLimit
	case limit < 0 || limit > MembersMaxLimit:
		return sort{}, 0, &projections.QueryError{Field: "limit", Message: fmt.Sprintf("must be between 1 and %d", MembersMaxLimit)}
	}
	for _, s := range f.Status {
		if !s.Valid() || s == domain.StatusPurged {
			return sort{}, 0, &projections.QueryError{Field: "status", Message: "must be one of invited, pending, active, suspended, deactivated, deleted"}
		}
	}
	if f.Role != "" && !f.Role.Valid() {
		return sort{}, 0, &projections.QueryError{Field: "role", Message: "must be one of owner, admin, manager, member, viewer, auditor"}
	}
	// In characters, as the API documents it; no NUL, which PostgreSQL's text refuses.
	if problem := domain.TextProblem(f.Q, MembersMaxQ); problem != "" {
		return sort{}, 0, &projections.QueryError{Field: "q", Message: problem}
	}
	sort, err := parseSort(f.Sort)
	return sort, limit, err
}
