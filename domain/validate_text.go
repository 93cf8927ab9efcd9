package domain

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextProblem answers what is wrong with s as a text field of at most maxChars
// characters (Unicode code points, as JSON Schema's maxLength counts them), or "" when
// nothing is: invalid UTF-8, too long, a control character (U+0000 to U+001F, U+007F
// to U+009F) or a line or paragraph separator (U+2028, U+2029). They are refused in
// every field: they break exports, terminals, one-line logs and PostgreSQL (which
// stores no NUL), and no caller means them.
//
// U+FFFD, the replacement character, counts as invalid UTF-8: it is what a JSON
// decoder leaves of invalid bytes and lone surrogates, which would otherwise be stored
// as a different text than the client sent, and no caller types it.
//
// It is the one check of text the API accepts, in the domain's validators and at the
// HTTP edge alike.
func TextProblem(s string, maxChars int) string {
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError):
		return "is not valid UTF-8"
	case utf8.RuneCountInString(s) > maxChars:
		return fmt.Sprintf("is longer than %d characters", maxChars)
	case strings.IndexFunc(s, breaksLines) >= 0:
		return "contains control characters"
	}
	return ""
}

// breaksLines reports whether r is a control character or a line or paragraph separator.
func breaksLines(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp)
}
