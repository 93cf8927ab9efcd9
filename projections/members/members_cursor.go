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

// membersSortKind is the Go type of a sort column's values in a cursor.
type membersSortKind int

const (
	membersSortText membersSortKind = iota
	membersSortInt
	membersSortTime // as Unix microseconds
)

// membersSort is a parsed MemberFilter.Sort: the column of members_members it orders by.
type membersSort struct {
	spec   string // as given, normalized: "name", "-email", ...
	column string
	kind   membersSortKind
	desc   bool
}

var membersSorts = map[string]membersSort{
	MemberSortName:      {column: "sort_name", kind: membersSortText},
	MemberSortEmail:     {column: "email", kind: membersSortText},
	MemberSortStatus:    {column: "status_rank", kind: membersSortInt},
	MemberSortRole:      {column: "role_rank", kind: membersSortInt},
	MemberSortInvitedAt: {column: "invited_at", kind: membersSortTime},
}

func membersParseSort(spec string) (membersSort, error) {
	if spec == "" {
		spec = MemberSortName
	}
	key, desc := strings.CutPrefix(spec, "-")
	s, ok := membersSorts[key]
	if !ok {
		return membersSort{}, &projections.QueryError{Field: "sort", Message: "must be one of name, email, status, role, invited_at, optionally prefixed with -"}
	}
	s.spec, s.desc = spec, desc
	return s, nil
}

// membersCursor is the sort key of the last member of a page.
type membersCursor struct {
	value   any // string, int64 or time.Time after decoding
	account uuid.UUID
}

// membersCursorJSON is a cursor's content before base64url: the sort it belongs to, so
// that a cursor is never applied to another order, and the last row's sort key.
type membersCursorJSON struct {
	Sort    string          `json:"s"`
	Value   json.RawMessage `json:"v"`
	Account uuid.UUID       `json:"a"`
}

// encode answers the cursor after a row whose sort column holds value (as scanned).
func (s membersSort) encode(value any, account uuid.UUID) string {
	if t, ok := value.(time.Time); ok {
		value = t.UnixMicro()
	}
	v, _ := json.Marshal(value) // strings and integers always marshal
	raw, _ := json.Marshal(membersCursorJSON{Sort: s.spec, Value: v, Account: account})
	return base64.RawURLEncoding.EncodeToString(raw)
}

// decode answers the cursor's sort key, nil for the empty cursor of the first page.
func (s membersSort) decode(cursor string) (*membersCursor, error) {
	if cursor == "" {
		return nil, nil
	}
	bad := &projections.QueryError{Field: "cursor", Message: "is not a cursor this query answered for this sort"}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad
	}
	var c membersCursorJSON
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
		if s.kind == membersSortText {
			return &membersCursor{value: v, account: c.Account}, nil
		}
	case json.Number:
		n, err := v.Int64()
		if err == nil && s.kind == membersSortInt {
			return &membersCursor{value: n, account: c.Account}, nil
		}
		if err == nil && s.kind == membersSortTime {
			return &membersCursor{value: time.UnixMicro(n).UTC(), account: c.Account}, nil
		}
	}
	return nil, bad
}
