package main

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// badInputRecipe makes one bad request of an operation on a target, from a valid
// example made for that very request: values that must be new (a first name, an email)
// are new on every request, so that a request that should change nothing but does
// shows each time.
type badInputRecipe struct {
	subject, kind, label string // "body.owner.email", "control character", "body.owner.email: NUL (U+0000)"
	build                func(f *badInputFixture, tg badInputTarget) badInputRequest
}

// recipes answers op's bad requests, as built on tg: the body wrong field by field and
// as a whole, each path parameter wrong, each query parameter wrong (the others valid),
// unknown query parameters.
func badInputRecipes(f *badInputFixture, tg badInputTarget, op badInputOp) []badInputRecipe {
	var out []badInputRecipe
	if op.body != nil {
		example := badInputExample(f, tg, op)
		for j, field := range badInputFields(example, op.body) {
			for k, m := range badInputFieldMutations(field) {
				out = append(out, badInputRecipe{subject: "body." + field.label, kind: m.kind, label: "body." + field.label + ": " + m.label,
					build: func(f *badInputFixture, tg badInputTarget) badInputRequest {
						ex := badInputExample(f, tg, op)
						field := badInputAt(badInputFields(ex, op.body), j, op)
						m := badInputAt(badInputFieldMutations(field), k, op)
						return badInputOn(op, tg, badInputBody{data: badInputEncode(badInputSet(ex, field.steps, m.value, m.remove)), contentType: "application/json"})
					}})
			}
		}
		for k, b := range badInputWholeBodies(badInputEncode(example)) {
			out = append(out, badInputRecipe{subject: "body", kind: b.kind, label: b.label,
				build: func(f *badInputFixture, tg badInputTarget) badInputRequest {
					return badInputOn(op, tg, badInputAt(badInputWholeBodies(badInputEncode(badInputExample(f, tg, op))), k, op))
				}})
		}
	}
	if op.noBody {
		for _, b := range badInputUnwantedBodies {
			out = append(out, badInputRecipe{subject: "body", kind: b.kind, label: b.label,
				build: func(f *badInputFixture, tg badInputTarget) badInputRequest { return badInputOn(op, tg, b) }})
		}
	}
	for _, p := range op.params {
		out = append(out, badInputParamRecipes(f, tg, op, p)...)
	}
	for _, v := range badInputUnknownQueries {
		out = append(out, badInputRecipe{subject: "query", kind: v.kind, label: "query: " + v.label,
			build: func(f *badInputFixture, tg badInputTarget) badInputRequest {
				req := badInputValid(f, tg, op)
				req.query = badInputAnd(req.query, v.raw)
				return req
			}})
	}
	return badInputSample(op, out)
}

// badInputParamRecipes answers the recipes of path or query parameter p of op.
func badInputParamRecipes(f *badInputFixture, tg badInputTarget, op badInputOp, p badInputParam) []badInputRecipe {
	var out []badInputRecipe
	switch p.in {
	case "path":
		for k, v := range badInputPathValues(p, tg.vars[p.name]) {
			out = append(out, badInputRecipe{subject: "path." + p.name, kind: v.kind, label: "path." + p.name + ": " + v.label,
				build: func(f *badInputFixture, tg badInputTarget) badInputRequest {
					v := badInputAt(badInputPathValues(p, tg.vars[p.name]), k, op)
					vars := map[string]string{}
					for name, x := range tg.vars {
						vars[name] = x
					}
					vars[p.name] = v.raw
					req := badInputValid(f, tg, op)
					req.path, req.routed = badInputExpand(op.path, vars), v.routed
					return req
				}})
		}
	case "query":
		for k, v := range badInputQueries(p.name) {
			out = append(out, badInputRecipe{subject: "query." + p.name, kind: v.kind, label: "query." + p.name + ": " + v.label,
				build: func(f *badInputFixture, tg badInputTarget) badInputRequest {
					req := badInputValid(f, tg, op)
					req.query = badInputAnd(badInputWithout(req.query, p.name), badInputAt(badInputQueries(p.name), k, op).raw)
					return req
				}})
		}
	}
	return out
}

// badInputValid answers op's valid request on tg.
func badInputValid(f *badInputFixture, tg badInputTarget, op badInputOp) badInputRequest {
	body := badInputBody{none: true}
	if op.body != nil {
		body = badInputBody{data: badInputEncode(badInputExample(f, tg, op)), contentType: "application/json"}
	}
	req := badInputOn(op, tg, body)
	req.label, req.kind = "valid request", "valid"
	return req
}

// badInputOn answers a request of op on tg with body, path and query valid.
func badInputOn(op badInputOp, tg badInputTarget, body badInputBody) badInputRequest {
	return badInputRequest{path: badInputExpand(op.path, tg.vars), query: badInputValidQuery(op, tg), body: body, routed: true}
}

// badInputExample answers a new valid body of op on tg.
func badInputExample(f *badInputFixture, tg badInputTarget, op badInputOp) map[string]any {
	ex, _ := f.example(tg, op.body, "").(map[string]any)
	return ex
}

// badInputAt answers list[i]: a recipe rebuilds what it was built from, which a new
// target or example must not change the shape of.
func badInputAt[T any](list []T, i int, op badInputOp) T {
	if i >= len(list) {
		panic(fmt.Sprintf("%s: a new target or example changed the shape of the requests", op))
	}
	return list[i]
}

// badInputValidQuery answers the query of op's valid request: the parameters a valid
// request needs (an access check's account and action), from tg.
func badInputValidQuery(op badInputOp, tg badInputTarget) string {
	var parts []string
	for _, p := range op.params {
		if v, ok := tg.query[p.name]; ok && p.in == "query" {
			parts = append(parts, url.QueryEscape(p.name)+"="+url.QueryEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

// badInputWithout answers query without parameter name.
func badInputWithout(query, name string) string {
	parts := strings.Split(query, "&")
	parts = slices.DeleteFunc(parts, func(p string) bool { return p == "" || strings.HasPrefix(p, url.QueryEscape(name)+"=") })
	return strings.Join(parts, "&")
}

// badInputAnd joins two queries.
func badInputAnd(a, b string) string {
	if a == "" {
		return b
	}
	return a + "&" + b
}
