package domain

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestStreamNamesRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		want StreamRef
	}{
		{WorkspaceStream(wsID), StreamRef{Kind: StreamKindWorkspace, WorkspaceID: wsID}},
		{MemberStream(wsID, targetID), StreamRef{Kind: StreamKindMember, WorkspaceID: wsID, AccountID: targetID}},
		{AccountStream(targetID), StreamRef{Kind: StreamKindAccount, AccountID: targetID}},
		{EmailClaimStream("ada@example.org"), StreamRef{Kind: StreamKindEmailClaim, Digest: digest("ada@example.org")}},
		{LoginClaimStream("ada"), StreamRef{Kind: StreamKindLoginClaim, Digest: digest("ada")}},
	}
	for _, c := range cases {
		if got, ok := ParseStream(c.name); !ok || got != c.want {
			t.Errorf("ParseStream(%s) = %+v, %v", c.name, got, ok)
		}
	}
	if got := MemberStream(wsID, targetID); got != "member-"+wsID.String()+"-"+targetID.String() {
		t.Errorf("member stream %s", got)
	}
}

func TestClaimStreamsNormalizeAndHideTheValue(t *testing.T) {
	if EmailClaimStream(" Ada@Example.org ") != EmailClaimStream("ada@example.org") {
		t.Error("email claims differ by case or spaces")
	}
	if LoginClaimStream("ADA") != LoginClaimStream("ada") || LoginClaimStream("ada") == EmailClaimStream("ada") {
		t.Error("login claims are not normalized, or collide with email claims")
	}
	if s := EmailClaimStream("ada@example.org"); strings.Contains(s, "ada") || len(s) != len("claim-email-")+64 {
		t.Errorf("claim stream %s", s)
	}
}

func TestParseStreamRejectsNonCanonicalNames(t *testing.T) {
	for _, name := range []string{
		"",
		"workspace-",
		"workspace-" + strings.ToUpper(wsID.String()),
		"workspace-{" + wsID.String() + "}",
		"workspace-00000000-0000-0000-0000-000000000000",
		"workspace-" + wsID.String() + "-",
		"member-" + wsID.String(),
		"member-" + wsID.String() + "_" + targetID.String(),
		"account-" + strings.ReplaceAll(targetID.String(), "-", ""),
		"claim-email-" + strings.ToUpper(digest("x")),
		"claim-login-abc",
		"project-" + wsID.String(),
	} {
		if ref, ok := ParseStream(name); ok || ref != (StreamRef{}) {
			t.Errorf("ParseStream(%q) = %+v, %v", name, ref, ok)
		}
	}
}

// TestEveryStreamBeginsWithAStreamPrefix: a store that keeps its global log to
// StreamPrefixes misses no stream accessledger writes.
func TestEveryStreamBeginsWithAStreamPrefix(t *testing.T) {
	ws, acc := uuid.New(), uuid.New()
	for _, stream := range []string{WorkspaceStream(ws), MemberStream(ws, acc), AccountStream(acc),
		EmailClaimStream("a@b.example"), LoginClaimStream("ada")} {
		if !slices.ContainsFunc(StreamPrefixes(), func(p string) bool { return strings.HasPrefix(stream, p) }) {
			t.Errorf("%s begins with none of %v", stream, StreamPrefixes())
		}
	}
}

// TestEveryEventTypeGoesToAKindOfStream checks that StreamKindsOf knows every event type:
// readers skip the streams of kinds whose events they do not use.
func TestEveryEventTypeGoesToAKindOfStream(t *testing.T) {
	for _, eventType := range EventTypes() {
		if len(StreamKindsOf(eventType)) == 0 {
			t.Errorf("%s goes to no kind of stream", eventType)
		}
	}
}
