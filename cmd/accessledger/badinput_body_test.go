package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// badInputBody is a body the suite sends: its bytes and Content-Type ("" sends none).
type badInputBody struct {
	label, kind string
	data        []byte
	none        bool // no body at all
	contentType string
}

// badInputRaw is JSON text spliced into a body as is: invalid UTF-8, raw control bytes,
// numbers Go cannot hold.
type badInputRaw string

// badInputSlot stands for the one badInputRaw of a body while it is encoded.
const badInputSlot = "@@badinput-raw@@"

// badInputEncode encodes v as JSON, splicing its badInputRaw (at most one) in.
func badInputEncode(v any) []byte {
	var raw badInputRaw
	tree := badInputClone(v, &raw)
	data, err := json.Marshal(tree)
	if err != nil {
		panic(err) // the trees are built by this suite from JSON values
	}
	if raw != "" {
		data = bytes.Replace(data, []byte(`"`+badInputSlot+`"`), []byte(raw), 1)
	}
	return data
}

// badInputClone answers a deep copy of v; a badInputRaw in it is moved to *raw.
func badInputClone(v any, raw *badInputRaw) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = badInputClone(e, raw)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = badInputClone(e, raw)
		}
		return out
	case badInputRaw:
		if raw == nil {
			return v
		}
		*raw = v
		return badInputSlot
	}
	return v
}

// badInputField is a value inside a body: its steps from the top (keys and indexes),
// its label ("owner.email", "projects[].role") and its schema (nil when undocumented).
type badInputField struct {
	steps  []any
	label  string
	schema badInputSchema
	value  any
}

// badInputFields answers every value inside body, depth first, in a stable order.
func badInputFields(body any, s badInputSchema) []badInputField {
	var out []badInputField
	var walk func(v any, s badInputSchema, steps []any, label string)
	walk = func(v any, s badInputSchema, steps []any, label string) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				child := append(slices.Clone(steps), k)
				ps := badInputProperty(s, k)
				out = append(out, badInputField{steps: child, label: badInputJoin(label, k), schema: ps, value: v[k]})
				walk(v[k], ps, child, badInputJoin(label, k))
			}
		case []any:
			if len(v) == 0 {
				return
			}
			items, _ := s["items"].(map[string]any)
			child := append(slices.Clone(steps), 0)
			out = append(out, badInputField{steps: child, label: label + "[]", schema: items, value: v[0]})
			walk(v[0], items, child, label+"[]")
		}
	}
	walk(body, s, nil, "")
	return out
}

// badInputSet answers a copy of body with the value at steps replaced by v; with
// remove, the value is taken out of its object instead.
func badInputSet(body any, steps []any, v any, remove bool) any {
	out := badInputClone(body, nil)
	parent := out
	for _, step := range steps[:len(steps)-1] {
		switch p := parent.(type) {
		case map[string]any:
			parent = p[step.(string)]
		case []any:
			parent = p[step.(int)]
		}
	}
	switch p := parent.(type) {
	case map[string]any:
		if remove {
			delete(p, steps[len(steps)-1].(string))
		} else {
			p[steps[len(steps)-1].(string)] = v
		}
	case []any:
		p[steps[len(steps)-1].(int)] = v
	}
	return out
}

// badInputWholeBodies answers bodies wrong as a whole: not an object, trailing data,
// too large, sent as another media type…
func badInputWholeBodies(valid []byte) []badInputBody {
	const appJSON = "application/json"
	unknown := append([]byte(`{"badinput_unknown":1,`), valid[1:]...)
	if string(valid) == "{}" {
		unknown = []byte(`{"badinput_unknown":1}`)
	}
	out := []badInputBody{
		{label: "no body and no Content-Type", kind: "empty body", none: true},
		{label: "empty body", kind: "empty body", contentType: appJSON},
		{label: "whitespace only", kind: "empty body", data: []byte(" \n\t "), contentType: appJSON},
	}
	for _, v := range []string{"null", "[]", `"x"`, "42", "true", "[" + string(valid) + "]"} {
		out = append(out, badInputBody{label: "body is " + badInputShort(v), kind: "wrong type", data: []byte(v), contentType: appJSON})
	}
	for _, tail := range []string{"{}", "x", " null", string(valid), "\x00", "]"} {
		out = append(out, badInputBody{label: "trailing " + badInputShort(tail), kind: "trailing data",
			data: append(slices.Clone(valid), tail...), contentType: appJSON})
	}
	out = append(out,
		badInputBody{label: "truncated", kind: "malformed", data: valid[:len(valid)-1], contentType: appJSON},
		badInputBody{label: "byte order mark first", kind: "malformed", data: append([]byte("\xef\xbb\xbf"), valid...), contentType: appJSON},
		badInputBody{label: "invalid UTF-8 first", kind: "malformed", data: append([]byte("\xff"), valid...), contentType: appJSON},
		badInputBody{label: "single quotes", kind: "malformed", data: bytes.ReplaceAll(valid, []byte(`"`), []byte(`'`)), contentType: appJSON},
		badInputBody{label: "unknown field", kind: "unknown field", data: unknown, contentType: appJSON},
		badInputBody{label: "100 kB of padding", kind: "huge", data: append(slices.Clone(valid), strings.Repeat(" ", 100_000)...), contentType: appJSON},
		badInputBody{label: "array nested 20000 deep", kind: "deep nesting", data: []byte(badInputDeep(20_000)), contentType: appJSON},
	)
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
		"application/xml", "application/merge-patch+json", "application/json; charset=utf-16", "application/jsonx",
		"garbage", "*/*", "application/json, text/plain", "application/json; charset"} {
		out = append(out, badInputBody{label: "Content-Type " + ct, kind: "content type", data: valid, contentType: ct})
	}
	return out
}

// badInputUnwantedBodies are sent to the commands that take no body: each must be
// refused, not ignored.
var badInputUnwantedBodies = []badInputBody{
	{label: "a reason where no body is taken", kind: "unwanted body", data: []byte(`{"reason":"checking bad input"}`), contentType: "application/json"},
	{label: "an empty object where no body is taken", kind: "unwanted body", data: []byte(`{}`), contentType: "application/json"},
	{label: "text where no body is taken", kind: "unwanted body", data: []byte("x"), contentType: "text/plain"},
}

// badInputDeep answers an array nested n deep.
func badInputDeep(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

// badInputShort answers s cut for a label.
func badInputShort(s string) string {
	if len(s) > 24 {
		return s[:21] + "..."
	}
	return s
}
