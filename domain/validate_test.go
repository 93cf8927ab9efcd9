package domain

import (
	"strings"
	"testing"
)

// check runs one validator method on one value and reports whether it passed.
func check(run func(v *validator)) bool {
	var v validator
	run(&v)
	return v.err() == nil
}

func TestEmailValidation(t *testing.T) {
	local := strings.Repeat("a", 64)
	long := local + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 60) + ".org"
	cases := map[string]bool{
		"ada@example.org":           true,
		"ada.lovelace+lab@ex.co.uk": true,
		"":                          false,
		"ada":                       false,
		"ada@":                      false,
		"@example.org":              false,
		"Ada <ada@example.org>":     false,
		"<ada@example.org>":         false,
		`"ada l"@example.org`:       false,
		"ada@example.org, b@c.d":    false,
		"ada @example.org":          false,
		long:                        false,
	}
	for email, want := range cases {
		if got := check(func(v *validator) { v.email("email", email) }); got != want {
			t.Errorf("email %q (%d bytes): valid = %v", email, len(email), got)
		}
	}
	if NormalizeEmail("  Ada@Example.ORG\t") != "ada@example.org" {
		t.Error("NormalizeEmail")
	}
}

func TestLoginPhoneAndNameValidation(t *testing.T) {
	cases := []struct {
		what  string
		run   func(v *validator)
		valid bool
	}{
		{"login", func(v *validator) { v.login("login", "ada.l_1-x") }, true},
		{"no login", func(v *validator) { v.login("login", "") }, true},
		{"short login", func(v *validator) { v.login("login", "ad") }, false},
		{"long login", func(v *validator) { v.login("login", strings.Repeat("a", 65)) }, false},
		{"login with a space", func(v *validator) { v.login("login", "ada l") }, false},
		{"upper-case login", func(v *validator) { v.login("login", "Ada") }, false},
		{"phone", func(v *validator) { v.phone("phone", "+41791234567") }, true},
		{"no phone", func(v *validator) { v.phone("phone", "") }, true},
		{"phone without plus", func(v *validator) { v.phone("phone", "41791234567") }, false},
		{"short phone", func(v *validator) { v.phone("phone", "+12345") }, false},
		{"long phone", func(v *validator) { v.phone("phone", "+1234567890123456") }, false},
		{"phone with spaces", func(v *validator) { v.phone("phone", "+41 79 123 45 67") }, false},
		{"name", func(v *validator) { v.name("name", "Zoë O'Brien-Łukasiewicz") }, true},
		{"name of 100 runes", func(v *validator) { v.name("name", strings.Repeat("ß", MaxNameLength)) }, true},
		{"name of 101 runes", func(v *validator) { v.name("name", strings.Repeat("ß", MaxNameLength+1)) }, false},
		{"blank name", func(v *validator) { v.name("name", "   ") }, false},
		{"name with a newline", func(v *validator) { v.name("name", "Ada\nLovelace") }, false},
		{"name of invalid UTF-8", func(v *validator) { v.name("name", "Ada\xff") }, false},
		{"date", func(v *validator) { v.date("ends_on", "2024-02-29") }, true},
		{"no date", func(v *validator) { v.date("ends_on", "") }, true},
		{"no such date", func(v *validator) { v.date("ends_on", "2023-02-29") }, false},
		{"date with a time", func(v *validator) { v.date("ends_on", "2024-02-29T10:00:00Z") }, false},
	}
	for _, c := range cases {
		if got := check(c.run); got != c.valid {
			t.Errorf("%s: valid = %v", c.what, got)
		}
	}
}

func TestHashToken(t *testing.T) {
	if HashToken("token") != "3c469e9d6c5875d37a43f353d4f88e61fcf812c66eee3457465a40b0da4153e0" {
		t.Fatalf("HashToken = %s", HashToken("token"))
	}
	if !check(func(v *validator) { v.tokenHash("token_hash", HashToken("x")) }) {
		t.Fatal("a HashToken result fails token hash validation")
	}
}
