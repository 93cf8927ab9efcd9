package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// badInputSchema is a JSON schema of the served document with its $refs inlined.
type badInputSchema = map[string]any

// badInputParam is a path or query parameter an operation documents.
type badInputParam struct {
	name, in string
	schema   badInputSchema
}

// badInputOp is one operation of the served OpenAPI document, as the bad-input suite
// reads it.
type badInputOp struct {
	method, path string // "POST", "/v1/workspaces/{ws}/projects"
	params       []badInputParam
	body         badInputSchema // the request body's schema; nil when none is documented
	// noBody is set on commands that document no body: they must refuse one.
	noBody bool
}

// String names op as the OpenAPI document and the reports do: "POST /v1/workspaces".
func (op badInputOp) String() string { return op.method + " " + op.path }

// badInputOperations answers every operation of the OpenAPI document raw, in a stable
// order, with its parameters and request schema resolved.
func badInputOperations(raw []byte) ([]badInputOp, error) {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]badInputSchema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("decode the OpenAPI document: %w", err)
	}
	r := badInputResolver{schemas: doc.Components.Schemas}
	var ops []badInputOp
	for path, methods := range doc.Paths {
		for method, rawOp := range methods {
			op, err := r.operation(strings.ToUpper(method), path, rawOp)
			if err != nil {
				return nil, err
			}
			ops = append(ops, op)
		}
	}
	slices.SortFunc(ops, func(a, b badInputOp) int { return strings.Compare(a.path+" "+a.method, b.path+" "+b.method) })
	return ops, nil
}

// badInputResolver resolves the $refs of the document's schemas.
type badInputResolver struct{ schemas map[string]badInputSchema }

// operation reads operation method path of the document from raw.
func (r badInputResolver) operation(method, path string, raw json.RawMessage) (badInputOp, error) {
	var o struct {
		Parameters []struct {
			Name   string         `json:"name"`
			In     string         `json:"in"`
			Schema badInputSchema `json:"schema"`
		} `json:"parameters"`
		RequestBody struct {
			Content map[string]struct {
				Schema badInputSchema `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return badInputOp{}, fmt.Errorf("decode operation %s %s: %w", method, path, err)
	}
	op := badInputOp{method: method, path: path}
	for _, p := range o.Parameters {
		s, err := r.resolve(p.Schema, 0)
		if err != nil {
			return op, fmt.Errorf("%s %s parameter %s: %w", method, path, p.Name, err)
		}
		op.params = append(op.params, badInputParam{name: p.Name, in: p.In, schema: s})
	}
	if c, ok := o.RequestBody.Content["application/json"]; ok {
		s, err := r.resolve(c.Schema, 0)
		if err != nil {
			return op, fmt.Errorf("%s %s body: %w", method, path, err)
		}
		op.body = s
	} else if method != "GET" {
		op.noBody = true
	}
	return op, nil
}

// resolve answers s with every local $ref replaced by the schema it names.
func (r badInputResolver) resolve(s badInputSchema, depth int) (badInputSchema, error) {
	if depth > 32 {
		return nil, fmt.Errorf("schema nested too deep (a recursive $ref?)")
	}
	if ref, ok := s["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/components/schemas/")
		target, known := r.schemas[name]
		if !found || !known {
			return nil, fmt.Errorf("unresolvable $ref %q", ref)
		}
		return r.resolve(target, depth+1)
	}
	out := badInputSchema{}
	for k, v := range s {
		out[k] = v
	}
	if props, ok := s["properties"].(map[string]any); ok {
		resolved := map[string]any{}
		for name, p := range props {
			ps, err := r.resolve(p.(map[string]any), depth+1)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			resolved[name] = ps
		}
		out["properties"] = resolved
	}
	if items, ok := s["items"].(map[string]any); ok {
		is, err := r.resolve(items, depth+1)
		if err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		out["items"] = is
	}
	return out, nil
}

// badInputTypes answers the JSON types schema s admits, "null" left out.
func badInputTypes(s badInputSchema) []string {
	var types []string
	switch t := s["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, v := range t {
			if name, ok := v.(string); ok && name != "null" {
				types = append(types, name)
			}
		}
	}
	if len(types) == 0 {
		if _, ok := s["properties"]; ok {
			return []string{"object"}
		}
		return []string{"string"}
	}
	return types
}

// badInputProperties answers the properties of an object schema, sorted by name.
func badInputProperties(s badInputSchema) []string {
	props, _ := s["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// badInputProperty answers the schema of property name of object schema s.
func badInputProperty(s badInputSchema, name string) badInputSchema {
	props, _ := s["properties"].(map[string]any)
	p, _ := props[name].(map[string]any)
	return p
}

// badInputNumber answers keyword k of s as an int, if s has it.
func badInputNumber(s badInputSchema, k string) (int, bool) {
	f, ok := s[k].(float64)
	return int(f), ok
}
