package main

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// badInputMutation is one way a field is wrong: the value put in its place (or the
// field taken out), what it is, and its class for the summary.
type badInputMutation struct {
	label, kind string
	value       any
	remove      bool
}

// badInputControls are strings a text field must not hold, or must survive: control
// characters, escaped and raw, invalid UTF-8 and other encodings' debris.
var badInputControls = []struct{ label, kind, raw string }{
	{"NUL (U+0000)", "control character", `"a\u0000b"`},
	{"U+0001", "control character", `"a\u0001b"`},
	{"newline", "control character", `"a\nb"`},
	{"tab", "control character", `"a\tb"`},
	{"U+001F", "control character", `"a\u001fb"`},
	{"DEL (U+007F)", "control character", `"a\u007fb"`},
	{"C1 control U+0085", "control character", `"a\u0085b"`},
	{"line separator U+2028", "control character", `"a\u2028b"`},
	{"raw control byte", "control character", "\"a\x01b\""},
	{"invalid UTF-8", "invalid UTF-8", "\"a\xff\xfeb\""},
	{"overlong NUL", "invalid UTF-8", "\"a\xc0\x80b\""},
	{"lone surrogate", "invalid UTF-8", `"a\ud800b"`},
}

// badInputFieldMutations answers the mutations of field f, by the type of its valid
// value.
func badInputFieldMutations(f badInputField) []badInputMutation {
	out := []badInputMutation{
		{label: "missing", kind: "missing", remove: true},
		{label: "null", kind: "null", value: nil},
		{label: "array nested 5000 deep", kind: "deep nesting", value: badInputRaw(badInputDeep(5000))},
		{label: "object nested 5000 deep", kind: "deep nesting",
			value: badInputRaw(strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000))},
		{label: "number too large for any integer", kind: "wrong type", value: badInputRaw("1e400")},
	}
	if _, inArray := f.steps[len(f.steps)-1].(int); inArray {
		out = out[1:] // an array element cannot be missing; an empty array is tried with the array
	}
	switch v := f.value.(type) {
	case string:
		out = append(out, badInputWrongTypes(42, true, []any{}, map[string]any{})...)
		out = append(out, badInputStrings(f, v)...)
	case float64, int, int64:
		out = append(out, badInputWrongTypes("1", true, []any{1}, map[string]any{})...)
		for _, n := range []string{"-1", "0", "1.5", "2147483648", "9223372036854775808", "-9223372036854775809", "1e3"} {
			out = append(out, badInputMutation{label: n, kind: "bad number", value: badInputRaw(n)})
		}
	case bool:
		out = append(out, badInputWrongTypes("true", 1, []any{}, map[string]any{})...)
	case []any:
		out = append(out, badInputWrongTypes("x", 1, true, map[string]any{})...)
		out = append(out,
			badInputMutation{label: "empty", kind: "empty", value: []any{}},
			badInputMutation{label: "3000 elements", kind: "huge", value: badInputMany(v, 3000)})
	case map[string]any:
		out = append(out, badInputWrongTypes("x", 1, true, []any{})...)
		withUnknown := badInputClone(v, nil).(map[string]any)
		withUnknown["badinput_unknown"] = 1
		out = append(out,
			badInputMutation{label: "empty", kind: "empty", value: map[string]any{}},
			badInputMutation{label: "unknown field inside", kind: "unknown field", value: withUnknown})
	}
	return out
}

// badInputWrongTypes answers the mutations that put each of values, of types other
// than the field's, in its place.
func badInputWrongTypes(values ...any) []badInputMutation {
	out := make([]badInputMutation, len(values))
	for i, v := range values {
		out[i] = badInputMutation{label: fmt.Sprintf("wrong type %s", badInputEncode(v)), kind: "wrong type", value: v}
	}
	return out
}

// badInputStrings answers the mutations of a string field whose valid value is v:
// blank, over every length limit, with control characters, and bad UUIDs where v is one.
func badInputStrings(f badInputField, v string) []badInputMutation {
	out := []badInputMutation{
		{label: "empty", kind: "empty", value: ""},
		{label: "blank", kind: "empty", value: "   "},
	}
	sizes := []int{4097, 100_000}
	if n, ok := badInputNumber(f.schema, "maxLength"); ok {
		sizes = append([]int{n + 1}, sizes...)
	}
	for _, n := range sizes {
		out = append(out, badInputMutation{label: fmt.Sprintf("%d bytes", n), kind: "huge", value: strings.Repeat("a", n)})
	}
	out = append(out, badInputMutation{label: "1000 × é (2000 bytes)", kind: "huge", value: strings.Repeat("é", 1000)})
	for _, c := range badInputControls {
		out = append(out, badInputMutation{label: c.label, kind: c.kind, value: badInputRaw(c.raw)})
	}
	if id, err := uuid.Parse(v); err == nil {
		out = append(out, badInputUUIDs(id, func(s string) any { return s })...)
	}
	return out
}

// badInputUUIDs answers the mutations of a UUID whose valid value is id, each value
// passed through as (to escape it for a path or a query).
func badInputUUIDs(id uuid.UUID, as func(string) any) []badInputMutation {
	s := id.String()
	values := []struct{ label, v string }{
		{"not a UUID", "not-a-uuid"},
		{"unknown UUID", uuid.NewString()},
		{"nil UUID", uuid.Nil.String()},
		{"upper-case UUID", strings.ToUpper(s)},
		{"UUID without dashes", strings.ReplaceAll(s, "-", "")},
		{"braced UUID", "{" + s + "}"},
		{"URN UUID", "urn:uuid:" + s},
		{"UUID with a suffix", s + "0"},
		{"UUID cut short", s[:35]},
	}
	out := make([]badInputMutation, len(values))
	for i, u := range values {
		out[i] = badInputMutation{label: u.label, kind: "bad UUID", value: as(u.v)}
	}
	return out
}

// badInputMany answers an array of n copies of the first element of v.
func badInputMany(v []any, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = v[0]
	}
	return out
}
