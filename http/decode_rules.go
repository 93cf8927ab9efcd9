package http

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/projections/activity"
	"accessledger/projections/history"
	"accessledger/projections/members"
)

// fieldRule is what one kind of field accepts. The HTTP edge checks every string
// against its length with domain.TextProblem, which also refuses control characters
// and invalid UTF-8; the domain and the read models check patterns and values. The
// OpenAPI document states the whole rule (openapi_rules.go), from these very values.
type fieldRule struct {
	maxLength int      // characters; for an enum, that of its longest value
	pattern   string   // ECMA-262, as the domain checks it; "" for none
	enum      []string // the values accepted; nil for any
	format    string   // JSON Schema format: uuid, date-time, date, email
	// For integers, the bounds; for lists of strings, the number of items.
	minimum, maximum *int
	maxItems         int
}

// Limits of the HTTP layer itself, each derived from what it bounds.
const (
	// maxReasonLength bounds a command's reason so that any reason within it, in the
	// widest characters UTF-8 has, fits the event store's metadata.
	maxReasonLength = eventstore.MaxReasonLength / utf8.UTFMax
	uuidLength      = len("0192f0c4-8e4b-7c3a-9d2e-5f6a7b8c9d0e")
	// maxInvitationTokenLength bounds an invitation token: the service issues 92
	// characters; the bound leaves room for a longer format.
	maxInvitationTokenLength = 256
	// maxCursorLength bounds a page cursor: the widest one the lists answer (a member's
	// name or email as sort key, JSON-escaped, in base64url) stays under it.
	maxCursorLength = 4096
	// maxActionLength is the longest access check action: scope:<scope>:<level>.
	maxActionLength  = len("scope:") + domain.MaxScopeLength + len(":") + len(domain.ScopeWrite)
	base64URLPattern = `^[A-Za-z0-9_-]*$`
)

// ruleReason is the rule of every command's reason.
var ruleReason = fieldRule{maxLength: maxReasonLength}

// fieldRules names every rule: request bodies tag their fields with one
// (`rule:"name"`), query parameters and path variables name theirs in their
// declarations (query_params.go).
var fieldRules = map[string]fieldRule{
	"reason": ruleReason,
	// A suspension's reason is the command's too, and the member is shown it.
	"suspension_reason": {maxLength: domain.MaxReasonLength},
	"name":              {maxLength: domain.MaxNameLength},
	"email":             {maxLength: domain.MaxEmailLength, format: "email"},
	// Login and phone are optional where they are accepted: empty is their absence.
	"login":               {maxLength: domain.MaxLoginLength, pattern: "^$|" + domain.LoginPattern},
	"phone":               {maxLength: domain.MaxPhoneLength, pattern: "^$|" + domain.PhonePattern},
	"uuid":                {maxLength: uuidLength, format: "uuid"},
	"time":                {maxLength: len(time.RFC3339Nano), format: "date-time"},
	"date":                {maxLength: len(domain.DateLayout), format: "date"},
	"module":              {maxLength: domain.MaxModuleKeyLength, pattern: domain.ModuleKeyPattern},
	"scope":               {maxLength: domain.MaxScopeLength, pattern: domain.ScopePattern},
	"feature_key":         {maxLength: domain.MaxFeatureKeyLen, pattern: domain.FeatureKeyPattern, maxItems: domain.MaxOverrides},
	"token":               {maxLength: maxInvitationTokenLength},
	"contract_reference":  {maxLength: domain.MaxContractReference},
	"contract_convention": {maxLength: domain.MaxContractConvention},
	"workspace_role":      enumRule(domain.WorkspaceRoles()),
	"grantable_role":      enumRule(domain.GrantableRoles()),
	"project_role":        enumRule(domain.ProjectRoles()),
	"scope_level":         enumRule(domain.ScopeLevels()),
	"seats":               intRule(1, domain.MaxSeats),
	"days":                intRule(0, domain.MaxSettingDays),

	// The member list does not list purged members.
	"member_status":  enumRule(slices.DeleteFunc(domain.MemberStatuses(), func(s domain.MemberStatus) bool { return s == domain.StatusPurged })),
	"member_sort":    enumRule(memberSorts()),
	"member_search":  {maxLength: members.MembersMaxQ},
	"cursor":         {maxLength: maxCursorLength, pattern: base64URLPattern},
	"event_kind":     {maxLength: eventstore.MaxNameLength}, // an event type or its namespace
	"actor":          {maxLength: uuidLength},               // an account id or "system"
	"action":         {maxLength: maxActionLength},
	"order":          enumRule([]string{orderNewest, orderOldest}),
	"position":       {maxLength: len(eventstore.Position{}.String()), pattern: `^[0-9a-f]*$`},
	"stream":         {maxLength: eventstore.MaxNameLength},
	"projection":     {maxLength: eventstore.MaxNameLength},
	"members_limit":  intRule(1, members.MembersMaxLimit),
	"history_limit":  intRule(1, history.HistoryMaxLimit),
	"activity_limit": intRule(1, activity.ActivityMaxLimit),
	"events_limit":   intRule(1, maxEventsLimit),
	"from_version":   intRule(1, 1<<62),
}

// ruleNamed answers the rule named key. Naming none is a bug of a declaration, which
// TestRequestFieldsHaveRules refuses.
func ruleNamed(key string) fieldRule {
	r, ok := fieldRules[key]
	if !ok {
		panic("http: no rule named " + key)
	}
	return r
}

// enumRule is the rule of a field that takes one of values.
func enumRule[T ~string](values []T) fieldRule {
	r := fieldRule{}
	for _, v := range values {
		r.enum = append(r.enum, string(v))
		r.maxLength = max(r.maxLength, utf8.RuneCountInString(string(v)))
	}
	return r
}

// intRule is the rule of an integer from minimum to maximum; its text, in a query, is
// at most as long as the widest integer.
func intRule(minimum, maximum int) fieldRule {
	return fieldRule{maxLength: len(strconv.Itoa(math.MinInt64)), minimum: &minimum, maximum: &maximum}
}

// memberSorts answers the sorts of the member list, each also descending.
func memberSorts() []string {
	var out []string
	for _, s := range []string{members.MemberSortName, members.MemberSortEmail, members.MemberSortStatus,
		members.MemberSortRole, members.MemberSortInvitedAt} {
		out = append(out, s, "-"+s)
	}
	return out
}

// check answers what is wrong with s under the rule at the edge, or "".
func (r fieldRule) check(s string) string {
	problem := domain.TextProblem(s, r.maxLength)
	if problem != "" && r.enum != nil {
		return "must be one of " + strings.Join(r.enum, ", ")
	}
	return problem
}
