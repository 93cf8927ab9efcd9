package history

import (
	"accessledger/projections"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Page sizes of MemberHistory.
const (
	HistoryDefaultLimit = 50
	HistoryMaxLimit     = 500
)

// HistoryFilter selects a member's changes. Zero fields select everything.
type HistoryFilter struct {
	From   time.Time // changes at or after From
	To     time.Time // changes before To
	Kind   string    // one of the HistoryKind* kinds
	Cursor string    // from the previous page's Next
	Limit  int       // 0: HistoryDefaultLimit; at most HistoryMaxLimit
}

// HistoryChange is one change of a member fact.
type HistoryChange struct {
	Kind       string
	Key        string     // project, category, client, feature or scope; empty for the others
	Before     *string    // nil: the fact did not hold
	After      *string    // nil: the fact ended
	ValidUntil *time.Time // of a visa after the change
	Actor      string     // account id or "system"
	Reason     string
	At         time.Time
	EventID    uuid.UUID
	EventType  string
}

// HistoryPage is one page of changes; Next is the cursor of the next page, empty on the last.
type HistoryPage struct {
	Changes []HistoryChange
	Next    string
}

// MemberHistory answers the member's changes in log order (the order in which they took
// effect; their times follow it), filtered by f, one page at a time with
// a keyset cursor on the change's sequence number. An invalid filter or cursor answers an
// error wrapping ErrInvalidQuery.
func MemberHistory(ctx context.Context, q projections.Querier, ws, account uuid.UUID, f HistoryFilter) (_ HistoryPage, err error) {
	defer projections.ReadFailed(&err)
	limit, after, err := f.validate()
	if err != nil {
		return HistoryPage{}, err
	}
	sql := `SELECT seq, occurred_at, kind, key, before, after, valid_until, actor, reason, event_id, event_type
	FROM ` + projections.Qualified(projections.ReadSchema, changesTable) + `
	WHERE workspace_id = $1 AND account_id = $2
	  AND ($3::timestamptz IS NULL OR occurred_at >= $3) AND ($4::timestamptz IS NULL OR occurred_at < $4)
	  AND ($5 = '' OR kind = $5)
	  AND seq > $6
	ORDER BY seq LIMIT $7`
	rows, err := q.Query(ctx, sql, [16]byte(ws), [16]byte(account), optTime(f.From), optTime(f.To), f.Kind,
		after, limit+1)
	if err != nil {
		return HistoryPage{}, fmt.Errorf("read history of %s: %w", account, err)
	}
	page := HistoryPage{Changes: []HistoryChange{}}
	var c HistoryChange
	var seq, lastSeq int64
	_, err = pgx.ForEachRow(rows, []any{&seq, &c.At, &c.Kind, &c.Key, &c.Before, &c.After, &c.ValidUntil, &c.Actor,
		&c.Reason, &c.EventID, &c.EventType}, func() error {
		if len(page.Changes) == limit { // the extra row: there is a next page
			page.Next = encodeCursor(lastSeq)
			return nil
		}
		c.At = c.At.UTC()
		if c.ValidUntil != nil {
			u := c.ValidUntil.UTC()
			c.ValidUntil = &u
		}
		page.Changes = append(page.Changes, c)
		lastSeq = seq
		return nil
	})
	if err != nil {
		return HistoryPage{}, fmt.Errorf("read history of %s: %w", account, err)
	}
	return page, nil
}

func (f HistoryFilter) validate() (limit int, after int64, err error) {
	limit = f.Limit
	switch {
	case limit == 0:
		limit = HistoryDefaultLimit
	case limit < 0 || limit > HistoryMaxLimit:
		return 0, 0, &projections.QueryError{Field: "limit", Message: fmt.Sprintf("must be between 1 and %d", HistoryMaxLimit)}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return 0, 0, &projections.QueryError{Field: "to", Message: "must be after from"}
	}
	if f.Kind != "" && !slices.Contains(kinds, f.Kind) {
		return 0, 0, &projections.QueryError{Field: "kind", Message: "must be one of " + strings.Join(kinds, ", ")}
	}
	after, err = decodeCursor(f.Cursor)
	return limit, after, err
}

// encodeCursor answers the cursor after the change seq: base64url of its decimal
// sequence number, the sort key of MemberHistory.
func encodeCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(seq, 10)))
}

// decodeCursor answers the sequence number a cursor names; 0 for no cursor.
func decodeCursor(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, &projections.QueryError{Field: "cursor", Message: "is not a cursor this query answered"}
	}
	seq, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || seq < 1 {
		return 0, &projections.QueryError{Field: "cursor", Message: "is not a cursor this query answered"}
	}
	return seq, nil
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// HasHistory reports whether account has any change in ws's history: whether it ever was
// on the workspace's roster or held anything in it. Purged and departed members keep
// theirs.
func HasHistory(ctx context.Context, q projections.Querier, ws, account uuid.UUID) (_ bool, err error) {
	defer projections.ReadFailed(&err)
	var found bool
	err = q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+projections.Qualified(projections.ReadSchema, changesTable)+`
	WHERE workspace_id = $1 AND account_id = $2)`, [16]byte(ws), [16]byte(account)).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("look up the history of %s: %w", account, err)
	}
	return found, nil
}
