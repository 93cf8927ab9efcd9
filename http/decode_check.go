package http

import (
	"reflect"
	"strconv"
	"strings"
)

// checkFields checks every string of a decoded request body against the rule its field
// is tagged with (`rule:"name"`, see fieldRules) and answers the first that breaks it,
// named as the client wrote it: owner.email, projects[1].role, grant[3]. A field
// without a rule is still refused control characters; a test keeps every field tagged.
func checkFields(body any) error {
	return checkValue(reflect.ValueOf(body), "", untagged)
}

// untagged is the rule of a string field that names none: only text, within the body.
var untagged = fieldRule{maxLength: maxBodyBytes}

func checkValue(v reflect.Value, path string, rule fieldRule) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkValue(v.Elem(), path, rule)
	case reflect.String:
		if problem := rule.check(v.String()); problem != "" {
			return badField(path, "%s", problem)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := checkValue(v.Index(i), path+"["+strconv.Itoa(i)+"]", rule); err != nil {
				return err
			}
		}
	case reflect.Struct:
		return checkStruct(v, path)
	}
	return nil
}

// checkStruct checks the JSON fields of a struct, embedded structs' fields as its own.
func checkStruct(v reflect.Value, prefix string) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || (!f.IsExported() && !f.Anonymous):
			continue
		case f.Anonymous && name == "":
			if err := checkValue(v.Field(i), prefix, untagged); err != nil {
				return err
			}
			continue
		case name == "":
			name = f.Name
		}
		if prefix != "" {
			name = prefix + "." + name
		}
		if err := checkValue(v.Field(i), name, ruleOf(f)); err != nil {
			return err
		}
	}
	return nil
}

// ruleOf answers the rule a field is tagged with; untagged for none (or one unknown,
// which TestRequestFieldsHaveRules refuses).
func ruleOf(f reflect.StructField) fieldRule {
	if r, ok := fieldRules[f.Tag.Get("rule")]; ok {
		return r
	}
	return untagged
}
