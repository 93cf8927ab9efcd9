package http

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/projections/members"
)

// TestRequestFieldsHaveRules walks every request body the document names: each string
// and integer field, nested ones and list items included, names a rule, so that the
// edge checks it and the document states it. Every query parameter and path variable
// names a known rule too.
func TestRequestFieldsHaveRules(t *testing.T) {
	for _, rt := range NewAPI(APIConfig{}).routes() {
		key, d := rt.method+" "+rt.path, rt.doc
		if d.req != nil {
			checkRuleTags(t, key, reflect.TypeOf(d.req), "")
		}
		for _, p := range d.query {
			if _, ok := fieldRules[p.rule]; !ok {
				t.Errorf("%s: query parameter %s names no rule %q", key, p.name, p.rule)
			}
		}
	}
	for name, rule := range pathRules {
		if _, ok := fieldRules[rule]; !ok {
			t.Errorf("path variable %s names no rule %q", name, rule)
		}
	}
}

func checkRuleTags(t *testing.T, op string, typ reflect.Type, path string) {
	t.Helper()
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct {
		return
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Anonymous {
			checkRuleTags(t, op, f.Type, path)
			continue
		}
		name := path + f.Name
		elem := f.Type
		for elem.Kind() == reflect.Pointer || elem.Kind() == reflect.Slice {
			elem = elem.Elem()
		}
		switch elem.Kind() {
		case reflect.Struct:
			checkRuleTags(t, op, elem, name+".")
		case reflect.String, reflect.Int:
			key, tagged := f.Tag.Lookup("rule")
			if _, known := fieldRules[key]; !tagged || !known {
				t.Errorf("%s: field %s names no known rule (%q)", op, name, key)
			}
		}
	}
}

// TestOpenAPIStatesTheLimits reads limits of a representative set of fields back from
// the served document and compares them with the constants the validators use.
func TestOpenAPIStatesTheLimits(t *testing.T) {
	raw, err := NewAPI(APIConfig{}).openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	roles := []any{"admin", "manager", "member", "viewer", "auditor"}
	tests := []struct {
		name    string
		schema  []string // a path into the document
		keyword string
		want    any
	}{
		{"reason", body("RenameRequest", "reason"), "maxLength", float64(eventstore.MaxReasonLength / utf8.UTFMax)},
		{"name", body("RenameRequest", "name"), "maxLength", float64(domain.MaxNameLength)},
		{"name is required", []string{"components", "schemas", "RenameRequest"}, "required", []any{"name"}},
		{"suspension reason", body("SuspendRequest", "reason"), "maxLength", float64(domain.MaxReasonLength)},
		{"email", body("InviteRequest", "email"), "maxLength", float64(domain.MaxEmailLength)},
		{"email format", body("InviteRequest", "email"), "format", "email"},
		{"login", body("InviteRequest", "login"), "pattern", "^$|" + domain.LoginPattern},
		{"phone", body("AccountPatch", "phone"), "pattern", "^$|" + domain.PhonePattern},
		{"invited role", body("InviteRequest", "role"), "enum", roles},
		{"approved role", body("ApproveRequest", "role"), "enum", roles},
		{"module's minimum role", body("ModuleRequest", "min_role"), "enum", []any{"owner", "admin", "manager", "member", "viewer", "auditor"}},
		{"project role", body("ProjectRoleRequest", "role"), "enum", []any{"project_admin", "contributor", "viewer"}},
		{"project role of an invitation", append(body("InviteRequest", "projects"), "items", "properties", "role"), "enum", []any{"project_admin", "contributor", "viewer"}},
		{"scope level", body("ScopeRequest", "level"), "enum", []any{"none", "read", "write"}},
		{"account id", body("OwnershipRequest", "account_id"), "format", "uuid"},
		{"feature keys", body("PermissionsRequest", "grant"), "maxItems", float64(domain.MaxOverrides)},
		{"feature key", append(body("PermissionsRequest", "grant"), "items"), "pattern", domain.FeatureKeyPattern},
		{"contract reference", body("ContractRequest", "reference"), "maxLength", float64(domain.MaxContractReference)},
		{"contract end", body("ContractRequest", "ends_on"), "format", "date"},
		{"seats", body("PlanRequest", "seats"), "maximum", float64(domain.MaxSeats)},
		{"days", body("SecurityRequest", "password_max_age_days"), "maximum", float64(domain.MaxSettingDays)},
		{"optional reason of a DELETE", append(operation("/v1/workspaces/{ws}/members/{account}", "delete"), "requestBody", "content", "application/json", "schema", "$ref"), "", "#/components/schemas/ReasonOnly"},
		{"search", parameter(doc, "/v1/workspaces/{ws}/members", "q"), "maxLength", float64(members.MembersMaxQ)},
		{"member statuses", append(parameter(doc, "/v1/workspaces/{ws}/members", "status"), "items"), "enum", []any{"invited", "pending", "active", "suspended", "deactivated", "deleted"}},
		{"role filter", parameter(doc, "/v1/workspaces/{ws}/members", "role"), "enum", []any{"owner", "admin", "manager", "member", "viewer", "auditor"}},
		{"page size", parameter(doc, "/v1/workspaces/{ws}/members", "limit"), "maximum", float64(members.MembersMaxLimit)},
		{"cursor", parameter(doc, "/v1/workspaces/{ws}/history", "cursor"), "maxLength", float64(maxCursorLength)},
		{"workspace id", parameter(doc, "/v1/workspaces/{ws}/members", "ws"), "format", "uuid"},
		{"scope", parameter(doc, "/v1/workspaces/{ws}/members/{account}/scopes/{scope}", "scope"), "pattern", domain.ScopePattern},
		{"module", parameter(doc, "/v1/workspaces/{ws}/modules/{module}", "module"), "maxLength", float64(domain.MaxModuleKeyLength)},
		{"stream", parameter(doc, "/v1/streams/{stream}/events", "stream"), "maxLength", float64(eventstore.MaxNameLength)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lookup(doc, tt.schema)
			if tt.keyword != "" {
				m, _ := got.(map[string]any)
				got = m[tt.keyword]
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%v %s = %#v, want %#v", tt.schema, tt.keyword, got, tt.want)
			}
		})
	}
}

func body(schema, property string) []string {
	return []string{"components", "schemas", schema, "properties", property}
}

func operation(path, method string) []string { return []string{"paths", path, method} }

// parameter answers the path to the schema of an operation's parameter.
func parameter(doc map[string]any, path, name string) []string {
	params, _ := lookup(doc, append(operation(path, "get"), "parameters")).([]any)
	method := "get"
	if params == nil {
		method = "put"
		params, _ = lookup(doc, append(operation(path, method), "parameters")).([]any)
	}
	for i, p := range params {
		if p.(map[string]any)["name"] == name {
			return append(operation(path, method), "parameters", itoa(int64(i)), "schema")
		}
	}
	return []string{"no parameter " + name}
}

// lookup follows a path of keys and list indexes into a decoded JSON document.
func lookup(v any, path []string) any {
	for _, k := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			var i int
			if err := json.Unmarshal([]byte(k), &i); err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
