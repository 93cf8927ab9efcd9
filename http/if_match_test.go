package http

import (
	"strconv"
	"testing"

	"accessledger/domain"
)

// TestAcceptWithIfMatch accepts an invitation with If-Match on the workspace's version:
// the acceptance and the record of the API token it issues both happen (the record, a
// step on the member's stream, once failed the If-Match after the acceptance had
// appended: 412, yet the member was active).
func TestAcceptWithIfMatch(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	version := len(f.events(domain.WorkspaceStream(f.ws)))
	a := f.do("POST", "/v1/invitations/accept", map[string]string{"token": f.token}, "If-Match", strconv.Quote(strconv.Itoa(version)))
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	roster := f.events(domain.WorkspaceStream(f.ws))
	if len(roster) != version+1 || roster[version] != (domain.InvitationAccepted{}).EventType() {
		t.Errorf("the roster has %v after version %d", roster[version:], version)
	}
	grants := f.events(domain.MemberStream(f.ws, f.member))
	if len(grants) == 0 || grants[len(grants)-1] != (domain.APITokenIssued{}).EventType() {
		t.Errorf("the member's stream has %v, want the token's issue last", grants)
	}
}

// TestIfMatchNamesItsStream: an ETag carries the kind of stream its version is of. The
// member detail answers its roster's (the workspace's) version; sent to a command on the
// member's grants, whose stream is another, it is refused with 412 even when the two
// numbers are equal, and nothing is appended. Sent to a roster command, it is checked as usual; a
// bare number, as earlier answers carried, still is.
func TestIfMatchNamesItsStream(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	ws := domain.WorkspaceStream(f.ws)
	grants := domain.MemberStream(f.ws, f.member)
	member := "/v1/workspaces/" + f.ws.String() + "/members/" + f.member.String()
	contract := map[string]any{"reference": "C-1"}

	// The roster's kind with the very number of the member's stream: only the kind
	// tells them apart.
	rosterTag := etag(ws, int64(len(f.events(grants))))
	grantsTag := etag(grants, int64(len(f.events(grants))))
	before := len(f.events(grants))
	if a := f.do("PUT", member+"/contract", contract, "If-Match", rosterTag); a.status != 412 {
		t.Errorf("contract with the roster's ETag %s: %d %s, want 412", rosterTag, a.status, a.body)
	}
	if got := len(f.events(grants)); got != before {
		t.Errorf("a refused contract appended %d events", got-before)
	}
	if a := f.do("PUT", member+"/contract", contract, "If-Match", grantsTag); a.status != 200 {
		t.Errorf("contract with the member's ETag %s: %d %s, want 200", grantsTag, a.status, a.body)
	}
	role := map[string]string{"role": "manager"}
	if a := f.do("PUT", member+"/role", role, "If-Match", strconv.Quote(strconv.Itoa(len(f.events(ws))))); a.status != 200 {
		t.Errorf("role with a bare version: %d %s, want 200", a.status, a.body)
	}
	if a := f.do("PUT", member+"/role", map[string]string{"role": "admin"}, "If-Match", etag(ws, int64(len(f.events(ws))))); a.status != 200 {
		t.Errorf("role with the roster's ETag: %d %s, want 200", a.status, a.body)
	}
}
