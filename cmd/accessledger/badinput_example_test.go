package main

import (
	"fmt"
	"strings"
	"time"
)

// example answers a valid value for schema s at field (its path in the body, such as
// "owner.email" or "projects[].role"): a target's or the fixture's value when the field
// names state or needs a known shape, else one built from the schema.
func (f *badInputFixture) example(tg badInputTarget, s badInputSchema, field string) any {
	if v, ok := f.hint(tg, field); ok {
		return v
	}
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[0]
	}
	if ex, ok := s["examples"].([]any); ok && len(ex) > 0 {
		return ex[0]
	}
	switch badInputTypes(s)[0] {
	case "object":
		obj := map[string]any{}
		for _, name := range badInputProperties(s) {
			obj[name] = f.example(tg, badInputProperty(s, name), badInputJoin(field, name))
		}
		return obj
	case "array":
		items, _ := s["items"].(map[string]any)
		return []any{f.example(tg, items, field+"[]")}
	case "integer", "number":
		if min, ok := badInputNumber(s, "minimum"); ok {
			return max(min, 1)
		}
		return 1
	case "boolean":
		return true
	}
	switch s["format"] {
	case "uuid":
		return f.member
	case "date-time":
		return time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	case "date":
		return "2031-12-31"
	case "email":
		return fmt.Sprintf("any%d@badinput.example", f.next())
	}
	if n, ok := badInputNumber(s, "minLength"); ok {
		return strings.Repeat("x", n)
	}
	return "x"
}

// hint answers the value of a field that must name fixture state or take a shape the
// document does not (yet) tell.
func (f *badInputFixture) hint(tg badInputTarget, field string) (any, bool) {
	if v, ok := tg.hints[field]; ok {
		return v, true
	}
	leaf := field[strings.LastIndex(field, ".")+1:]
	if field == "projects[].role" {
		return "contributor", true
	}
	switch leaf {
	case "email":
		return fmt.Sprintf("valid%d@badinput.example", f.next()), true
	case "login":
		return fmt.Sprintf("valid.%d", f.next()), true
	case "name":
		return fmt.Sprintf("Valid %d", f.next()), true
	case "first_name":
		// A name no earlier request set, so that a profile change is a change on every
		// request and an append that should not be shows on each.
		return fmt.Sprintf("Ada %d", f.next()), true
	case "until", "valid_until":
		return time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339), true
	case "project_id":
		return f.project, true
	case "visa_id":
		return f.visa, true
	case "from_account_id":
		return f.grantee, true
	}
	v, ok := badInputHints[leaf]
	return v, ok
}

// badInputHints are the valid values of fields by name, when fixed.
var badInputHints = map[string]any{
	"last_name": "Lovelace", "phone": "+33612345678", "reason": "checking bad input",
	"seats": 50, "role": "manager", "min_role": "member", "enabled": true, "level": "read",
	"ends_on": "2031-12-31", "reference": "C-42", "convention": "Syntec",
	"grant": []any{"orders.approve"}, "deny": []any{"invoices.pay"},
	"mfa_every_login": true, "mfa_after_inactivity_days": 30, "block_after_inactivity_days": 90, "password_max_age_days": 60,
}

// badInputJoin answers the path of property name of the object at field.
func badInputJoin(field, name string) string {
	if field == "" {
		return name
	}
	return field + "." + name
}
