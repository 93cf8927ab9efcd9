package http

import (
	"errors"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type decodeProbe struct {
	withReason
	Name  string `json:"name"`
	Seats int    `json:"seats"`
	Items []struct {
		Role string `json:"role"`
	} `json:"items"`
}

func TestDecodeBody(t *testing.T) {
	tests := []struct {
		name, body  string
		optional    bool
		contentType string
		wantField   string // "" with wantErr: the body as a whole
		wantStatus  int    // 0: no error
	}{
		{name: "valid", body: `{"name":"a","seats":3,"reason":"r"}`},
		{name: "empty optional", body: ``, optional: true},
		{name: "empty required", body: ``, wantStatus: 400},
		{name: "unknown field", body: `{"name":"a","nmae":"b"}`, wantField: "nmae", wantStatus: 400},
		{name: "wrong type", body: `{"seats":"3"}`, wantField: "seats", wantStatus: 400},
		{name: "nested wrong type", body: `{"items":[{"role":3}]}`, wantField: "items.role", wantStatus: 400},
		{name: "not an object", body: `[1]`, wantStatus: 400},
		{name: "trailing data", body: `{"name":"a"} {"name":"b"}`, wantStatus: 400},
		{name: "malformed", body: `{"name":`, wantStatus: 400},
		{name: "syntax", body: `{"name" "a"}`, wantStatus: 400},
		{name: "too large", body: `{"name":"` + strings.Repeat("a", maxBodyBytes) + `"}`, wantStatus: 413},
		{name: "not JSON", body: `{}`, contentType: "text/plain", wantStatus: 415},
		{name: "not UTF-8", body: `{}`, contentType: "application/json; charset=utf-16", wantStatus: 415},
		{name: "UTF-8 said so", body: `{}`, contentType: "application/json; charset=UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(nethttp.MethodPost, "/", strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			var dst decodeProbe
			err := decodeBody(httptest.NewRecorder(), r, &dst, tt.optional)
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			var fe *fieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v, want a field error", err)
			}
			if fe.status() != tt.wantStatus || fe.field != tt.wantField {
				t.Fatalf("status %d field %q (%v), want %d %q", fe.status(), fe.field, fe, tt.wantStatus, tt.wantField)
			}
		})
	}
}

// FuzzDecodeBody feeds the strict decoder arbitrary bodies: it may refuse them, with a
// client error, and never panics.
func FuzzDecodeBody(f *testing.F) {
	for _, seed := range []string{`{"name":"a","seats":1}`, `{"items":[{"role":"x"}]}`, `{`, `null`, `{"seats":1e400}`, "\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(nethttp.MethodPost, "/", strings.NewReader(body))
		var dst decodeProbe
		err := decodeBody(httptest.NewRecorder(), r, &dst, false)
		var fe *fieldError
		if err != nil && (!errors.As(err, &fe) || fe.status() >= 500) {
			t.Fatalf("body %q: %v is not a client error", body, err)
		}
	})
}

// TestDecodeBodyChecksEveryString decodes real request types with a bad string in one
// field: the field is named as the client wrote it, nested and in lists too.
func TestDecodeBodyChecksEveryString(t *testing.T) {
	long := strings.Repeat("x", 101)
	tests := []struct {
		name, body, wantField string
		dst                   any
	}{
		{"reason with NUL", `{"name":"a","reason":"a\u0000"}`, "reason", &renameRequest{}},
		{"reason too long", `{"name":"a","reason":"` + strings.Repeat("é", maxReasonLength+1) + `"}`, "reason", &renameRequest{}},
		{"name too long", `{"name":"` + long + `"}`, "name", &renameRequest{}},
		{"nested", `{"name":"a","seats":1,"owner":{"email":"a\u001fb@c.d"}}`, "owner.email", &createWorkspaceRequest{}},
		{"list of objects", `{"email":"a@b.c","projects":[{"project_id":"x","role":"viewer"},{"role":"v\niewer"}]}`, "projects[1].role", &inviteRequest{}},
		{"list of strings", `{"grant":["a.b","c","d\u007f"]}`, "grant[2]", &permissionsRequest{}},
		{"optional field", `{"first_name":"` + long + `"}`, "first_name", &accountPatch{}},
		{"enum value too long", `{"role":"administrator"}`, "role", &roleRequest{}},
		{"suspension reason", `{"reason":"` + strings.Repeat("a", 501) + `"}`, "reason", &suspendRequest{}},
		{"invalid UTF-8", "{\"name\":\"a\xffb\"}", "name", &renameRequest{}},
		{"overlong NUL", "{\"name\":\"a\xc0\x80b\"}", "name", &renameRequest{}},
		{"lone surrogate", `{"name":"a\ud800b"}`, "name", &renameRequest{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(nethttp.MethodPost, "/", strings.NewReader(tt.body))
			err := decodeBody(httptest.NewRecorder(), r, tt.dst, false)
			var fe *fieldError
			if !errors.As(err, &fe) || fe.status() != 400 || fe.field != tt.wantField {
				t.Fatalf("error %v, want a 400 on %s", err, tt.wantField)
			}
		})
	}
	valid := `{"email":"a@b.c","first_name":"Zoë","role":"member","reason":"` + strings.Repeat("𝄞", maxReasonLength) + `"}`
	if err := decodeBody(httptest.NewRecorder(), httptest.NewRequest(nethttp.MethodPost, "/", strings.NewReader(valid)), &inviteRequest{}, false); err != nil {
		t.Errorf("a valid body: %v", err)
	}
}
