package domain

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Kind classifies an *Error for transports. The HTTP layer maps kinds to status codes in
// one place, so decisions never think in HTTP terms.
type Kind uint8

const (
	// KindUnknown is what KindOf answers for errors that are not domain errors: bugs and
	// infrastructure failures, never the caller's fault.
	KindUnknown Kind = iota
	// KindValidation: the command itself is malformed; Fields lists every bad field.
	KindValidation
	// KindNotFound: the command names something that does not exist.
	KindNotFound
	// KindForbidden: the actor lacks the authority for this command.
	KindForbidden
	// KindConflict: the command is well formed and allowed, but the current state refuses it.
	KindConflict
)

var kindNames = [...]string{"unknown", "validation", "not_found", "forbidden", "conflict"}

// String answers the kind's lowercase name, for logs.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Stable error codes. Clients branch on them, so they never change meaning; a new rule
// gets a new code.
const (
	CodeValidationFailed    = "validation_failed"
	CodeNotFound            = "not_found"
	CodeForbidden           = "forbidden"
	CodeQuotaExceeded       = "quota_exceeded"
	CodeOwnerProtected      = "owner_protected"
	CodeMemberFrozen        = "member_frozen"
	CodeInvalidTransition   = "invalid_transition"
	CodeAlreadyMember       = "already_member"
	CodeMemberDeleted       = "member_deleted"
	CodeEmailTaken          = "email_taken"
	CodeLoginTaken          = "login_taken"
	CodeInvitationExpired   = "invitation_expired"
	CodeInvitationNotFound  = "invitation_not_found"
	CodeAlreadySent         = "already_sent"
	CodeModuleDisabled      = "module_disabled"
	CodeRestoreWindowPassed = "restore_window_passed"
	CodePlanBelowUsage      = "plan_below_usage"
	CodeWorkspaceExists     = "workspace_exists"
	CodeSelfAction          = "self_action"
	// CodeAlreadyExists refuses defining a catalog item or registering an account under an
	// id that is already in use.
	CodeAlreadyExists = "already_exists"
	// CodeSpendAccessMode refuses a spend grant of the other mode than the member's: spend
	// access is by accounts or by custom groups, never both (see SpendAccess).
	CodeSpendAccessMode = "spend_access_mode"
)

// FieldError names one invalid field of a command, with the JSON field name the client sent.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is every refusal a decision answers. Code is stable and machine-readable; Message
// is for humans; Fields is set for KindValidation; Details carries ids a client may act on
// (for CodeMemberDeleted, Details["account_id"] names the restorable member).
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  []FieldError
	Details map[string]string
}

// Error answers "code: message", followed by the field errors, if any.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	b.WriteString(": ")
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	return b.String()
}

// IsCode reports whether err is, or wraps, a domain *Error with the given code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// KindOf answers the kind of the domain *Error in err's chain, or KindUnknown.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// NotFound answers a KindNotFound error with code not_found, for the adapters that look
// things up outside a decision (a query, a raw stream read).
func NotFound(format string, args ...any) *Error { return notFound(format, args...) }

// Forbidden answers a KindForbidden error with code forbidden, for the adapters that
// refuse a caller outside a decision.
func Forbidden(format string, args ...any) *Error { return forbidden(format, args...) }

func validation(fields ...FieldError) *Error {
	return &Error{Kind: KindValidation, Code: CodeValidationFailed, Message: "the command has invalid fields", Fields: fields}
}

func invalidField(field, format string, args ...any) *Error {
	return validation(FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func notFound(format string, args ...any) *Error {
	return &Error{Kind: KindNotFound, Code: CodeNotFound, Message: fmt.Sprintf(format, args...)}
}

func forbidden(format string, args ...any) *Error {
	return &Error{Kind: KindForbidden, Code: CodeForbidden, Message: fmt.Sprintf(format, args...)}
}

func conflict(code, format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: fmt.Sprintf(format, args...)}
}

func selfAction(verb string) *Error {
	return &Error{Kind: KindForbidden, Code: CodeSelfAction, Message: "nobody may " + verb + " themselves"}
}

func ownerProtected(verb string) *Error {
	return conflict(CodeOwnerProtected, "the workspace owner is protected: nobody may %s the owner; transfer ownership first", verb)
}

func memberFrozen(status MemberStatus) *Error {
	return conflict(CodeMemberFrozen, "the member is %s: their grants and details are frozen", status)
}

func memberDeleted(account uuid.UUID) *Error {
	e := conflict(CodeMemberDeleted, "account %s is a deleted member of this workspace; restore it instead", account)
	e.Details = map[string]string{"account_id": account.String()}
	return e
}
