package members

import (
	"accessledger/projections"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Member list sort keys, for MemberFilter.Sort (prefix "-" to sort descending).
const (
	MemberSortName      = "name"
	MemberSortEmail     = "email"
	MemberSortStatus    = "status"
	MemberSortRole      = "role"
	MemberSortInvitedAt = "invited_at"
)

// sortKind is the Go type of a sort column's values in a cursor.
type sortKind int

const (
	sortText sortKind = iota
	sortInt
	sortTime // as Unix microseconds
)

// sort is a parsed MemberFilter.Sort: the column of members_members it orders by.
type sort struct {
	spec   string // as given, normalized: "name", "-email", ...
	column string
	kind   sortKind
	desc   bool
}

var sorts = map[string]sort{
	MemberSortName:      {column: "sort_name", kind: sortText},
	MemberSortEmail:     {column: "email", kind: sortText},
	MemberSortStatus:    {column: "status_rank", kind: sortInt},
	MemberSortRole:      {column: "role_rank", kind: sortInt},
	MemberSortInvitedAt: {column: "invited_at", kind: sortTime},
}

func parseSort(spec string) (sort, error) {
	if spec == "" {
		spec = MemberSortName
	}
	key, desc := strings.CutPrefix(spec, "-")
	s, ok := sorts[key]
	if !ok {
		return sort{}, &projections.QueryError{Field: "sort", Message: "must be one of name, email, status, role, invited_at, optionally prefixed with -"}
	}
	s.spec, s.desc = spec, desc
	return s, nil
}

// pageCursor is the sort key of the last member of a page.
type pageCursor struct {
	value   any // string, int64 or time.Time after decoding
	account uuid.UUID
}

// cursorJSON is a cursor's content before base64url: the sort it belongs to, so
// that a cursor is never applied to another order, and the last row's sort key.
type cursorJSON struct {
	Sort    string          `json:"s"`
	Value   json.RawMessage `json:"v"`
	Account uuid.UUID       `json:"a"`
}

// encode answers the cursor after a row whose sort column holds value (as scanned).
func (s sort) encode(value any, account uuid.UUID) string {
	if t, ok := value.(time.Time); ok {
		value = t.UnixMicro()
	}
	v, _ := json.Marshal(value) // strings and integers always marshal
	raw, _ := json.Marshal(cursorJSON{Sort: s.spec, Value: v, Account: account})
	return base64.RawURLEncoding.EncodeToString(raw)
}

// decode answers the cursor's sort key, nil for the empty cursor of the first page.
func (s sort) decode(cursor string) (*pageCursor, error) {
	if cursor == "" {
		return nil, nil
	}
	bad := &projections.QueryError{Field: "cursor", Message: "is not a cursor this query answered for this sort"}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad
	}
	var c cursorJSON
	if err := json.Unmarshal(raw, &c); err != nil || c.Sort != s.spec || c.Account == uuid.Nil {
		return nil, bad
	}
	d := json.NewDecoder(bytes.NewReader(c.Value))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, bad
	}
	switch v := v.(type) {
	case string:
		if s.kind == sortText {
			return &pageCursor{value: v, account: c.Account}, nil
		}
	case json.Number:
		n, err := v.Int64()
		if err == nil && s.kind == sortInt {
			return &pageCursor{value: n, account: c.Account}, nil
		}
		if err == nil && s.kind == sortTime {
			return &pageCursor{value: time.UnixMicro(n).UTC(), account: c.Account}, nil
		}
	}
	return nil, bad
}
