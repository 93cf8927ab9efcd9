package eventstore

import (
	"cmp"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// Position is a place in the global log. Callers treat it as opaque: they compare
// positions, keep them (as text) and hand them back to resume reading.
//
// A backend packs its native position into two unsigned integers ordered major first:
// Postgres uses (transaction id, row position), KurrentDB (commit, prepare). The zero
// Position lies before every event.
type Position struct {
	major, minor uint64
}

// NewPosition builds a Position from a backend's two ordered parts.
func NewPosition(major, minor uint64) Position { return Position{major: major, minor: minor} }

// Parts answers the two parts given to NewPosition. Only backends should need them.
func (p Position) Parts() (major, minor uint64) { return p.major, p.minor }

// IsZero reports whether p is the position before every event.
func (p Position) IsZero() bool { return p == Position{} }

// Compare answers -1, 0 or +1 as p is before, equal to or after q in the global log.
func (p Position) Compare(q Position) int {
	if c := cmp.Compare(p.major, q.major); c != 0 {
		return c
	}
	return cmp.Compare(p.minor, q.minor)
}

// Before reports whether p comes before q.
func (p Position) Before(q Position) bool { return p.Compare(q) < 0 }

// positionTextLen is the length of a Position in text: 32 lowercase hex digits.
const positionTextLen = 32

// String answers p as 32 lowercase hex digits, so that positions in text sort as they
// do in the log. This is the form of consistency tokens and stored checkpoints.
func (p Position) String() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], p.major)
	binary.BigEndian.PutUint64(b[8:], p.minor)
	return hex.EncodeToString(b[:])
}

// MarshalText encodes p as String does.
func (p Position) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText decodes the form written by MarshalText.
func (p *Position) UnmarshalText(text []byte) error {
	q, err := ParsePosition(string(text))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// ParsePosition decodes the form answered by Position.String. The empty string is the
// zero Position.
func ParsePosition(s string) (Position, error) {
	if s == "" {
		return Position{}, nil
	}
	if len(s) != positionTextLen {
		return Position{}, fmt.Errorf("position %q: want %d hex digits", s, positionTextLen)
	}
	var b [16]byte
	if _, err := hex.Decode(b[:], []byte(s)); err != nil {
		return Position{}, fmt.Errorf("position %q: %w", s, err)
	}
	return Position{
		major: binary.BigEndian.Uint64(b[:8]),
		minor: binary.BigEndian.Uint64(b[8:]),
	}, nil
}
