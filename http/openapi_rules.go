package http

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/swaggest/jsonschema-go"
)

// documentRule states in the document the rule a request field is tagged with
// (`rule:"name"`): the numbers and patterns the edge and the domain check, never a
// copy of them.
func documentRule(p jsonschema.InterceptPropParams) error {
	if !p.Processed {
		return nil
	}
	key, ok := p.Field.Tag.Lookup("rule")
	if !ok {
		return nil
	}
	r, known := fieldRules[key]
	if !known {
		return fmt.Errorf("openapi: field %s names no rule %q", p.Field.Name, key)
	}
	r.document(p.PropertySchema)
	return nil
}

// document writes the rule into a property's schema; for a list, into its items'.
func (r fieldRule) document(s *jsonschema.Schema) {
	if s.Items != nil && s.Items.SchemaOrBool != nil && s.Items.SchemaOrBool.TypeObject != nil {
		if r.maxItems > 0 {
			s.WithMaxItems(int64(r.maxItems))
		}
		s = s.Items.SchemaOrBool.TypeObject
	}
	switch {
	case r.minimum != nil:
		s.WithMinimum(float64(*r.minimum)).WithMaximum(float64(*r.maximum))
	case r.enum != nil:
		s.Enum = nil
		for _, v := range r.enum {
			s.Enum = append(s.Enum, v)
		}
	default:
		s.WithMaxLength(int64(r.maxLength))
		if r.pattern != "" {
			s.WithPattern(r.pattern)
		}
		if r.format != "" {
			s.WithFormat(r.format)
		}
	}
}

// parameters answers a struct of the path parameters of path and of the query
// parameters params, each field tagged with its rule, for the reflector.
func parameters(path string, params []param) any {
	var fields []reflect.StructField
	for _, m := range pathParamPattern.FindAllStringSubmatch(path, -1) {
		rule, ok := pathRules[m[1]]
		if !ok {
			rule = "uuid"
		}
		fields = append(fields, reflect.StructField{Name: "P" + exported(m[1]), Type: reflect.TypeOf(""),
			Tag: reflect.StructTag(`path:"` + m[1] + `" required:"true" rule:"` + rule + `"`)})
	}
	for _, p := range params {
		typ := reflect.TypeOf("")
		switch {
		case ruleNamed(p.rule).minimum != nil:
			typ = reflect.TypeOf(0)
		case p.list:
			typ = reflect.TypeOf([]string{})
		}
		tag := `query:"` + p.name + `" rule:"` + p.rule + `"`
		if p.required {
			tag += ` required:"true"`
		}
		fields = append(fields, reflect.StructField{Name: "Q" + exported(p.name), Type: typ, Tag: reflect.StructTag(tag)})
	}
	return reflect.New(reflect.StructOf(fields)).Interface()
}

func exported(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "_") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
