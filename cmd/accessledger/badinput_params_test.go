package main

import (
	"net/url"
	"strings"

	"github.com/google/uuid"
)

// badInputParamValue is a bad value of a path or query parameter, already escaped as it
// goes into the URL. routed is false when the value may change which route the path
// names (an empty segment, an escaped slash), so that the router's answer is not the
// operation's.
type badInputParamValue struct {
	label, kind, raw string
	routed           bool
}

// badInputPathValues answers the bad values of path parameter p, whose valid value is v.
func badInputPathValues(p badInputParam, v string) []badInputParamValue {
	var out []badInputParamValue
	if id, err := uuid.Parse(v); err == nil || p.schema["format"] == "uuid" {
		for _, m := range badInputUUIDs(id, func(s string) any { return url.PathEscape(s) }) {
			out = append(out, badInputParamValue{label: m.label, kind: m.kind, raw: m.value.(string), routed: true})
		}
	} else {
		out = append(out, badInputParamValue{label: "unknown value", kind: "unknown", raw: "badinput-unknown", routed: true})
	}
	routed := []struct{ label, kind, raw string }{
		{"10 kB", "huge", strings.Repeat("a", 10_000)},
		{"%00", "control character", "%00"},
		{"valid then %00", "control character", url.PathEscape(v) + "%00"},
		{"%0A", "control character", "%0A"},
		{"%7F", "control character", "%7F"},
		{"invalid UTF-8", "invalid UTF-8", "%FF%FE"},
		{"overlong NUL", "invalid UTF-8", "%C0%80"},
		{"space", "junk", "%20"},
		{"percent sign", "junk", "%25"},
		{"-1", "junk", "-1"},
		{"é", "junk", "%C3%A9"},
	}
	for _, r := range routed {
		out = append(out, badInputParamValue{label: r.label, kind: r.kind, raw: r.raw, routed: true})
	}
	for _, r := range []struct{ label, raw string }{{"empty", ""}, {"escaped slash", "a%2Fb"}, {"dot-dot", "%2E%2E"}, {"dot", "."}} {
		out = append(out, badInputParamValue{label: r.label, kind: "junk", raw: r.raw})
	}
	return out
}

// badInputQueryValues are the bad values every query parameter is sent with.
var badInputQueryValues = []struct{ label, kind, raw string }{
	{"x", "wrong type", "x"},
	{"empty", "empty", ""},
	{"-1", "bad number", "-1"},
	{"0", "bad number", "0"},
	{"1.5", "bad number", "1.5"},
	{"1e3", "bad number", "1e3"},
	{"overflowing 2^64", "bad number", "18446744073709551616"},
	{"below -2^63", "bad number", "-9223372036854775809"},
	{"%00", "control character", "%00"},
	{"a%00b", "control character", "a%00b"},
	{"%01", "control character", "%01"},
	{"%0A", "control character", "%0A"},
	{"%7F", "control character", "%7F"},
	{"invalid UTF-8", "invalid UTF-8", "%FF%FE"},
	{"overlong NUL", "invalid UTF-8", "%C0%80"},
	{"U+2028", "control character", "%E2%80%A8"},
	{"not a UUID", "bad UUID", "not-a-uuid"},
	{"bad time", "bad time", "2025-13-45T99:99:99Z"},
	{"year 1", "bad time", "0001-01-01T00:00:00Z"},
	{"year 9999", "bad time", "9999-12-31T23:59:59Z"},
	{"commas only", "junk", "%2C%2C"},
	{"10 kB", "huge", strings.Repeat("a", 10_000)},
	{"60 kB", "huge", strings.Repeat("a", 60_000)},
}

// badInputQueries answers the bad queries of query parameter name.
func badInputQueries(name string) []badInputParamValue {
	var out []badInputParamValue
	for _, v := range badInputQueryValues {
		out = append(out, badInputParamValue{label: v.label, kind: v.kind, raw: name + "=" + v.raw, routed: true})
	}
	out = append(out,
		badInputParamValue{label: "unknown UUID", kind: "unknown", raw: name + "=" + uuid.NewString(), routed: true},
		badInputParamValue{label: "given twice", kind: "repeated", raw: name + "=1&" + name + "=2", routed: true},
		badInputParamValue{label: "without =", kind: "junk", raw: name, routed: true})
	return out
}

// badInputUnknownQueries are queries with parameters no operation documents.
var badInputUnknownQueries = []badInputParamValue{
	{label: "unknown parameter", kind: "unknown parameter", raw: "badinput_unknown=1", routed: true},
	{label: "parameter named %00", kind: "unknown parameter", raw: "%00=1", routed: true},
	{label: "parameter named invalid UTF-8", kind: "unknown parameter", raw: "%FF=1", routed: true},
	{label: "semicolon", kind: "unknown parameter", raw: "a;b=1", routed: true},
	{label: "bad escape", kind: "unknown parameter", raw: "a=%zz", routed: true},
}
