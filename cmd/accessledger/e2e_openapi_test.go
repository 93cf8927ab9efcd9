package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	nethttp "net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// docURL is where the validator files the served OpenAPI document.
const docURL = "https://accessledger.invalid/openapi.json"

// answerChecker checks every answer of an end-to-end test against the OpenAPI document
// the server serves: the document is true when what the server answers fits it.
type answerChecker struct {
	compiler  *jsonschema.Compiler
	templates []pathTemplate
	mu        sync.Mutex
	schemas   map[string]*jsonschema.Schema
	checked   map[string]bool // operations whose answers were checked
}

type pathTemplate struct {
	template string
	pattern  *regexp.Regexp
	methods  map[string]bool
}

func newAnswerChecker(t *testing.T, base string) *answerChecker {
	t.Helper()
	resp, err := nethttp.Get(base + "/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != nethttp.StatusOK {
		t.Fatalf("GET /v1/openapi.json: %d, %v", resp.StatusCode, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the OpenAPI document is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(docURL, doc); err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(raw, &parsed); err != nil {
		t.Fatal(err)
	}
	a := &answerChecker{compiler: c, schemas: map[string]*jsonschema.Schema{}, checked: map[string]bool{}}
	for template, ops := range parsed.Paths {
		p := pathTemplate{template: template, methods: map[string]bool{},
			pattern: regexp.MustCompile("^" + regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(template), `[^/]+`) + "$")}
		for m := range ops {
			p.methods[m] = true
		}
		a.templates = append(a.templates, p)
	}
	return a
}

// check fails t unless body fits the document's schema for the answer.
func (a *answerChecker) check(t *testing.T, method, path string, status int, contentType string, body []byte) {
	t.Helper()
	if err := a.validate(method, path, status, contentType, body); err != nil {
		t.Errorf("%v\n%s", err, body)
	}
}

// validate answers why body does not fit the document's schema for the answer, if it
// does not. Answers that are not JSON (exports) are not checked.
func (a *answerChecker) validate(method, path string, status int, contentType string, body []byte) error {
	path, _, _ = strings.Cut(path, "?")
	mt, _, _ := strings.Cut(contentType, ";")
	if mt != "application/json" && mt != "application/problem+json" {
		return nil
	}
	method = strings.ToLower(method)
	var template string
	for _, p := range a.templates {
		if p.methods[method] && p.pattern.MatchString(path) && (template == "" || len(p.template) > len(template)) {
			template = p.template
		}
	}
	if template == "" {
		return fmt.Errorf("%s %s is not in the OpenAPI document", method, path)
	}
	ptr := fmt.Sprintf("#/paths/%s/%s/responses/%d/content/%s/schema", escapePointer(template), method, status, escapePointer(mt))
	schema, err := a.schema(ptr)
	if err != nil {
		return fmt.Errorf("%s %s answered %d %s, which the document does not describe: %w", method, template, status, mt, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: the answer is not JSON: %w", method, path, err)
	}
	if err := schema.Validate(inst); err != nil {
		return fmt.Errorf("%s %s (%d): the answer does not fit the OpenAPI document: %w", method, template, status, err)
	}
	a.mu.Lock()
	a.checked[method+" "+template] = true
	a.mu.Unlock()
	return nil
}

func (a *answerChecker) schema(ptr string) (*jsonschema.Schema, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s, ok := a.schemas[ptr]; ok {
		return s, nil
	}
	s, err := a.compiler.Compile(docURL + ptr)
	if err != nil {
		return nil, err
	}
	a.schemas[ptr] = s
	return s, nil
}

// escapePointer escapes a JSON pointer token (RFC 6901).
func escapePointer(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }

// operations answers every operation of the document, as "method template".
func (a *answerChecker) operations() []string {
	var ops []string
	for _, p := range a.templates {
		for m := range p.methods {
			ops = append(ops, m+" "+p.template)
		}
	}
	return ops
}
