package domain

import (
	"slices"
	"testing"
)

// TestAuthorizeRead decides every kind of query for every kind of actor, about a member
// (target) who is on the roster.
func TestAuthorizeRead(t *testing.T) {
	w := replayWorkspace(slices.Concat(staff(), joined(targetID, RoleViewer)))
	const ok, no, hidden = "ok", "forbidden", "not_found"
	// The expected answers for ReadWorkspace, ReadMembers, ReadMember (of target),
	// ReadLicenses, ReadHistory and ReadAccess, in that order.
	want := map[string][6]string{
		"owner":             {ok, ok, ok, ok, ok, ok},
		"admin":             {ok, ok, ok, ok, ok, ok},
		"manager":           {ok, no, no, no, no, ok}, // the users module is for admins
		"member":            {ok, no, no, no, no, no},
		"viewer":            {ok, no, no, no, no, no},
		"auditor":           {ok, ok, ok, ok, ok, ok},
		"non-member":        {hidden, hidden, hidden, hidden, hidden, hidden},
		"suspended admin":   {no, no, no, no, no, no},
		"deactivated admin": {no, no, no, no, no, no},
		"platform admin":    {ok, ok, ok, ok, ok, ok},
		"project admin":     {ok, ok, ok, no, no, no},
		"system":            {hidden, hidden, hidden, hidden, hidden, hidden},
		"the member itself": {ok, no, ok, no, no, ok},
	}
	reads := []Read{ReadWorkspace, ReadMembers, ReadMember, ReadLicenses, ReadHistory, ReadAccess}
	for _, a := range everyActor {
		expected, found := want[a.name]
		if !found {
			t.Fatalf("no expectation for %s", a.name)
		}
		for i, r := range reads {
			err := w.AuthorizeRead(a.actor, r, targetID)
			got := ok
			if err != nil {
				got = err.(*Error).Code
			}
			if got != expected[i] {
				t.Errorf("%s, read %d: %s (%v), want %s", a.name, r, got, err, expected[i])
			}
		}
	}
}

func TestAuthorizeReadOfAWorkspaceThatDoesNotExist(t *testing.T) {
	err := new(Workspace).AuthorizeRead(byPlatformAdmin, ReadWorkspace, targetID)
	if !IsCode(err, CodeNotFound) {
		t.Fatalf("got %v, want not_found", err)
	}
}
