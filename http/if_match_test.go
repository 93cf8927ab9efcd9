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
