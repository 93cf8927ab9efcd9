package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Limits on command fields. They are part of the API contract: clients validate against
// the same numbers.
const (
	MaxNameLength      = 100 // runes in a person's, workspace's or catalog item's name
	MaxEmailLength     = 254 // bytes in an email address (RFC 5321 path limit)
	MaxReasonLength    = 500 // runes in a suspension reason
	MaxFeatureKeyLen   = 100 // bytes in one feature permission key
	MaxLoginLength     = 64  // characters of a login; LoginPattern says the same
	MaxPhoneLength     = 16  // '+' and 15 digits (E.164); PhonePattern says the same
	MaxModuleKeyLength = 40  // characters of a module key; ModuleKeyPattern says the same
	MaxScopeLength     = 141 // a kind of 40 characters, ':' and an id of 100; ScopePattern says the same
	// DateLayout is the calendar-date format of date fields such as a contract's end.
	DateLayout = "2006-01-02"
)

// Patterns of the keyed fields, after normalization. They are written in the syntax
// that Go's regexp and JSON Schema (ECMA-262) read alike, so that the API document
// states them as they are checked.
const (
	LoginPattern      = `^[a-z0-9._-]{3,64}$`
	PhonePattern      = `^\+[0-9]{6,15}$`
	ModuleKeyPattern  = `^[a-z][a-z0-9_]{0,39}$`
	FeatureKeyPattern = `^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`
	ScopePattern      = `^[a-z][a-z0-9_]{0,39}:[a-z0-9][a-z0-9._-]{0,99}$`
)

var (
	loginPattern      = regexp.MustCompile(LoginPattern)
	phonePattern      = regexp.MustCompile(PhonePattern)
	tokenHashPattern  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	moduleKeyPattern  = regexp.MustCompile(ModuleKeyPattern)
	featureKeyPattern = regexp.MustCompile(FeatureKeyPattern)
	scopePattern      = regexp.MustCompile(ScopePattern)
)

// NormalizeEmail answers the form in which emails are stored, compared and claimed:
// trimmed and lowercased. Lowercasing the local part is a deliberate simplification: no
// provider in practice distinguishes Alice@ from alice@, and two accounts that differ only
// by case are a support nightmare.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// NormalizeLogin answers the form in which logins are stored, compared and claimed:
// trimmed and lowercased.
func NormalizeLogin(login string) string {
	return strings.ToLower(strings.TrimSpace(login))
}

// HashToken answers the hex SHA-256 of an invitation token. Only this hash is ever stored
// in events, so a leaked event log does not leak usable invitations.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// validator collects every bad field of a command, so that a client sees all its
// mistakes at once instead of one per round trip.
type validator struct {
	fields []FieldError
}

func (v *validator) fail(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// err answers a KindValidation *Error listing every failure, or nil.
func (v *validator) err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return validation(v.fields...)
}

func (v *validator) id(field string, id uuid.UUID) {
	if id == uuid.Nil {
		v.fail(field, "is required")
	}
}

// name checks a required human-readable name: 1 to MaxNameLength runes, not blank, no
// control characters.
func (v *validator) name(field, s string) {
	if strings.TrimSpace(s) == "" {
		v.fail(field, "is required")
		return
	}
	v.text(field, s, MaxNameLength)
}

// text checks optional free text with TextProblem.
func (v *validator) text(field, s string, limit int) {
	if problem := TextProblem(s, limit); problem != "" {
		v.fail(field, "%s", problem)
	}
}

// email checks an already normalized email: a bare address (no display name, no angle
// brackets), at most MaxEmailLength bytes.
func (v *validator) email(field, s string) {
	switch {
	case s == "":
		v.fail(field, "is required")
	case len(s) > MaxEmailLength:
		v.fail(field, "is longer than %d bytes", MaxEmailLength)
	case !isBareAddress(s):
		v.fail(field, "is not a valid email address")
	}
}

func isBareAddress(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Name == "" && addr.Address == s
}

// login checks an optional, already normalized login.
func (v *validator) login(field, s string) {
	if s != "" && !loginPattern.MatchString(s) {
		v.fail(field, "must be 3 to 64 characters of a-z, 0-9, '.', '_' and '-'")
	}
}

// phone checks an optional phone number in E.164 shape: '+' and 6 to 15 digits.
func (v *validator) phone(field, s string) {
	if s != "" && !phonePattern.MatchString(s) {
		v.fail(field, "must be '+' followed by 6 to 15 digits")
	}
}

func (v *validator) tokenHash(field, s string) {
	if !tokenHashPattern.MatchString(s) {
		v.fail(field, "must be the lowercase hex SHA-256 of the token")
	}
}

func (v *validator) match(field, s string, re *regexp.Regexp, shape string) {
	if !re.MatchString(s) {
		v.fail(field, "must look like %s", shape)
	}
}

// date checks an optional calendar date in DateLayout.
func (v *validator) date(field, s string) {
	if s == "" {
		return
	}
	if _, err := time.Parse(DateLayout, s); err != nil {
		v.fail(field, "must be a date like 2025-12-31")
	}
}

func (v *validator) days(field string, n int) {
	if n < 0 || n > MaxSettingDays {
		v.fail(field, "must be between 0 and %d days", MaxSettingDays)
	}
}

// after checks that an optional instant lies strictly after now.
func (v *validator) after(field string, t *time.Time, now time.Time) {
	if t != nil && !t.After(now) {
		v.fail(field, "must be in the future")
	}
}

// grantableRole checks a role that a command hands out. Owner is never handed out: it
// only moves through TransferOwnership, which keeps exactly one owner.
func (v *validator) grantableRole(field string, r WorkspaceRole) {
	switch {
	case !r.Valid():
		v.fail(field, "must be one of %s", strings.Join(roleNames(), ", "))
	case r == RoleOwner:
		v.fail(field, "the owner role is only given by transferring ownership")
	}
}
