package activity

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"accessledger/eventstore"
	"accessledger/projections"
	"accessledger/projections/members"
)

// Page sizes of ListActivity.
const (
	ActivityDefaultLimit = 50
	ActivityMaxLimit     = 500
)

// ActivityFilter selects activity entries. Zero fields select everything.
type ActivityFilter struct {
	From   time.Time // entries that occurred at or after From
	To     time.Time // entries that occurred before To
	Actor  string    // an account id or "system"
	Member uuid.UUID // entries concerning this member
	// Kind is an exact event type ("member.invited") or a namespace ("member", or
	// "member."), matching every type in it.
	Kind   string
	Oldest bool   // oldest first; the default is newest first
	Cursor string // from the previous page's Next, with the same Oldest
	Limit  int    // ListActivity only: 0 is ActivityDefaultLimit; at most ActivityMaxLimit
}

// ActivityPage is one page of the activity log; Next is the cursor of the next page,
// empty on the last.
type ActivityPage struct {
	Entries []ActivityEntry
	Next    string
}

// ListActivity answers one page of the activity log of ws that f selects, newest first
// unless f.Oldest, with a keyset cursor on log position. Names in summaries are those the
// accounts have now. An invalid filter or cursor answers an error wrapping
// ErrInvalidQuery.
func ListActivity(ctx context.Context, q projections.Querier, ws uuid.UUID, f ActivityFilter) (ActivityPage, error) {
	limit := f.Limit
	switch {
	case limit == 0:
		limit = ActivityDefaultLimit
	case limit < 0 || limit > ActivityMaxLimit:
		return ActivityPage{}, &projections.QueryError{Field: "limit", Message: fmt.Sprintf("must be between 1 and %d", ActivityMaxLimit)}
	}
	page := ActivityPage{Entries: []ActivityEntry{}}
	err := each(ctx, q, ws, f, limit+1, func(e ActivityEntry) error {
		if len(page.Entries) == limit { // the extra row: there is a next page
			page.Next = cursor(f.Oldest, page.Entries[limit-1].Position)
			return nil
		}
		page.Entries = append(page.Entries, e)
		return nil
	})
	if err != nil {
		return ActivityPage{}, err
	}
	return page, nil
}

// StreamActivity calls fn with every entry of the activity log of ws that f selects, in
// f's order, from f.Cursor on (f.Limit is ignored), reading row by row so that an export
// of any size runs in constant memory. It stops at the first error fn answers and
// returns it. An invalid filter or cursor answers an error wrapping ErrInvalidQuery.
func StreamActivity(ctx context.Context, q projections.Querier, ws uuid.UUID, f ActivityFilter, fn func(ActivityEntry) error) error {
	return each(ctx, q, ws, f, 0, fn)
}

// each runs the query of f (limit 0: no limit) and calls fn with each entry.
func each(ctx context.Context, q projections.Querier, ws uuid.UUID, f ActivityFilter, limit int, fn func(ActivityEntry) error) error {
	sql, args, err := f.query(ws, limit)
	if err != nil {
		return err
	}
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("read activity of %s: %w", ws, projections.ReadError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var e ActivityEntry
		var member *uuid.UUID
		var template string
		var actorName, memberName, otherName *string
		var other *uuid.UUID
		if err := rows.Scan(&e.Position, &e.EventID, &e.Stream, &e.Version, &e.Type, &e.At, &e.Actor, &member, &other,
			&e.Reason, &template, &actorName, &memberName, &otherName); err != nil {
			return fmt.Errorf("read activity of %s: %w", ws, projections.ReadError(err))
		}
		e.At = e.At.UTC()
		e.ActorName = name(actorName, e.Actor)
		if member != nil {
			e.AccountID, e.MemberName = *member, name(memberName, member.String())
		}
		otherShown := ""
		if other != nil {
			otherShown = name(otherName, other.String())
		}
		e.Summary = render(template, e.MemberName, otherShown)
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read activity of %s: %w", ws, projections.ReadError(err))
	}
	return nil
}

// name answers an account's name, or fallback (its id) when the account is not
// known, e.g. erased.
func name(name *string, fallback string) string {
	if name == nil {
		return fallback
	}
	return *name
}

// kindPattern is an event type or namespace, with an optional trailing dot.
var kindPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.?$`)

// query answers the SQL of f and its arguments.
func (f ActivityFilter) query(ws uuid.UUID, limit int) (string, []any, error) {
	after, err := decodeCursor(f.Cursor, f.Oldest)
	if err != nil {
		return "", nil, err
	}
	conds, args := []string{"l.workspace_id = $1"}, []any{ws}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if !f.From.IsZero() {
		conds = append(conds, "l.occurred_at >= "+arg(f.From))
	}
	if !f.To.IsZero() {
		if !f.From.IsZero() && !f.From.Before(f.To) {
			return "", nil, &projections.QueryError{Field: "to", Message: "must be after from"}
		}
		conds = append(conds, "l.occurred_at < "+arg(f.To))
	}
	if f.Actor != "" {
		if _, err := uuid.Parse(f.Actor); err != nil && f.Actor != "system" {
			return "", nil, &projections.QueryError{Field: "actor", Message: `must be an account id or "system"`}
		}
		conds = append(conds, "l.actor = "+arg(strings.ToLower(f.Actor)))
	}
	if f.Member != uuid.Nil {
		conds = append(conds, "l.account_id = "+arg(f.Member))
	}
	if f.Kind != "" {
		if !kindPattern.MatchString(f.Kind) {
			return "", nil, &projections.QueryError{Field: "kind", Message: `must be an event type like "member.invited" or a namespace like "member"`}
		}
		k := arg(strings.TrimSuffix(f.Kind, "."))
		conds = append(conds, "(l.event_type = "+k+" OR starts_with(l.event_type, "+k+" || '.'))")
	}
	dir, op := "DESC", "<"
	if f.Oldest {
		dir, op = "ASC", ">"
	}
	if after != "" {
		conds = append(conds, "l.position "+op+" "+arg(after))
	}
	name := func(alias string) string {
		return "coalesce(nullif(btrim(" + alias + ".first_name || ' ' || " + alias + ".last_name), ''), " + alias + ".email)"
	}
	accounts := projections.Qualified(projections.ReadSchema, members.AccountsTable)
	sql := `SELECT l.position, l.event_id, l.stream, l.version, l.event_type, l.occurred_at, l.actor, l.account_id, l.other_id,
	l.reason, l.summary, ` + name("aa") + `, ` + name("am") + `, ` + name("ao") + `
	FROM ` + projections.Qualified(projections.ReadSchema, logTable) + ` l
	LEFT JOIN ` + accounts + ` aa ON aa.account_id = l.actor_id
	LEFT JOIN ` + accounts + ` am ON am.account_id = l.account_id
	LEFT JOIN ` + accounts + ` ao ON ao.account_id = l.other_id
	WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY l.position ` + dir
	if limit > 0 {
		sql += " LIMIT " + strconv.Itoa(limit)
	}
	return sql, args, nil
}

// cursor answers the cursor after position: base64url("<n|o>:<position>"), the
// letter binding it to its order (newest or oldest first).
func cursor(oldest bool, position string) string {
	order := "n"
	if oldest {
		order = "o"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(order + ":" + position))
}

func decodeCursor(s string, oldest bool) (string, error) {
	if s == "" {
		return "", nil
	}
	bad := &projections.QueryError{Field: "cursor", Message: "is not a cursor this query answered for this order"}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", bad
	}
	want := "n"
	if oldest {
		want = "o"
	}
	order, position, ok := strings.Cut(string(raw), ":")
	if !ok || order != want {
		return "", bad
	}
	if p, err := eventstore.ParsePosition(position); err != nil || p.IsZero() {
		return "", bad
	}
	return position, nil
}
