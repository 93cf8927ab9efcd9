package domain

import (
	"regexp"
	"strings"
	"testing"
)

func TestTextProblem(t *testing.T) {
	tests := []struct {
		name, s string
		max     int
		want    string // "" valid
	}{
		{"empty", "", 3, ""},
		{"plain", "abc", 3, ""},
		{"limit in characters, not bytes", "ßßß", 3, ""},
		{"widest characters at the limit", "𝄞𝄞𝄞", 3, ""},
		{"one over", "abcd", 3, "is longer than 3 characters"},
		{"NUL", "a\x00b", 10, "contains control characters"},
		{"newline", "a\nb", 10, "contains control characters"},
		{"tab", "a\tb", 10, "contains control characters"},
		{"unit separator", "a\x1fb", 10, "contains control characters"},
		{"DEL", "a\x7fb", 10, "contains control characters"},
		{"C1 control", "a\u0085b", 10, "contains control characters"},
		{"line separator", "a\u2028b", 10, "contains control characters"},
		{"paragraph separator", "a\u2029b", 10, "contains control characters"},
		{"invalid UTF-8", "a\xffb", 10, "is not valid UTF-8"},
		{"truncated sequence", "a\xe2\x82", 10, "is not valid UTF-8"},
		{"surrogate half", "a\xed\xa0\x80", 10, "is not valid UTF-8"},
		{"replacement character, left of invalid bytes", "a\ufffdb", 10, "is not valid UTF-8"},
		{"zero-width joiner is text", "a\u200db", 10, ""},
		{"space and punctuation", "Zoë O'Brien, 1.", 20, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TextProblem(tt.s, tt.max); got != tt.want {
				t.Errorf("TextProblem(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
			}
		})
	}
}

// TestPatternLengths keeps each Max*Length constant and the pattern of its field in
// step: the longest value the pattern admits is exactly the constant long. The API
// document states both, and the HTTP edge checks the length.
func TestPatternLengths(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		longest string
		max     int
	}{
		{"login", LoginPattern, strings.Repeat("a", MaxLoginLength), MaxLoginLength},
		{"phone", PhonePattern, "+" + strings.Repeat("1", MaxPhoneLength-1), MaxPhoneLength},
		{"module", ModuleKeyPattern, strings.Repeat("m", MaxModuleKeyLength), MaxModuleKeyLength},
		{"scope", ScopePattern, strings.Repeat("k", 40) + ":" + strings.Repeat("1", MaxScopeLength-41), MaxScopeLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re := regexp.MustCompile(tt.pattern)
			if len(tt.longest) != tt.max || !re.MatchString(tt.longest) {
				t.Errorf("%q (%d characters) does not match %s", tt.longest, len(tt.longest), tt.pattern)
			}
			// One more character anywhere the pattern repeats is refused.
			for i := 1; i < len(tt.longest); i++ {
				longer := tt.longest[:i] + tt.longest[i:i+1] + tt.longest[i:]
				if re.MatchString(longer) {
					t.Errorf("%q (%d characters) matches %s", longer, len(longer), tt.pattern)
				}
			}
		})
	}
}

func TestKeyPatterns(t *testing.T) {
	tests := []struct {
		pattern, s string
		valid      bool
	}{
		{FeatureKeyPattern, "billing.invoices", true},
		{FeatureKeyPattern, "billing..invoices", false},
		{FeatureKeyPattern, "Billing", false},
		{FeatureKeyPattern, "billing\x00", false},
		{ModuleKeyPattern, "booking", true},
		{ModuleKeyPattern, "1booking", false},
		{ScopePattern, "company:acme", true},
		{ScopePattern, "company:", false},
		{ScopePattern, "company:acme\n", false},
		{LoginPattern, "ada.l_1-x", true},
		{PhonePattern, "+41791234567", true},
	}
	for _, tt := range tests {
		if got := regexp.MustCompile(tt.pattern).MatchString(tt.s); got != tt.valid {
			t.Errorf("%s matches %q: %v", tt.pattern, tt.s, got)
		}
	}
}

func TestRoleLists(t *testing.T) {
	for _, r := range GrantableRoles() {
		if !r.Valid() || r == RoleOwner {
			t.Errorf("grantable role %q", r)
		}
	}
	if len(GrantableRoles()) != len(WorkspaceRoles())-1 {
		t.Errorf("grantable roles %v of %v", GrantableRoles(), WorkspaceRoles())
	}
	for _, r := range ProjectRoles() {
		if _, err := ParseProjectRole(string(r)); err != nil {
			t.Errorf("project role %q: %v", r, err)
		}
	}
	for _, l := range ScopeLevels() {
		if _, err := ParseScopeLevel(string(l)); err != nil {
			t.Errorf("scope level %q: %v", l, err)
		}
	}
}
