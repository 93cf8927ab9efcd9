package main

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestFaultJudge checks the fault suite's verdict on one command from the events that
// carry its ids, so that the suite's "0 lost, 0 duplicated" means something.
func TestFaultJudge(t *testing.T) {
	owner := uuid.New()
	invite := &faultCommand{kind: "invite", method: "POST", path: "/v1/workspaces/w/invitations", key: "k1", caller: owner}
	accept := &faultCommand{kind: "accept", method: "POST", path: "/v1/invitations/accept", key: "k2"}
	inviteID, acceptID, tokenID := invite.ids()[0].String(), accept.ids()[0].String(), accept.ids()[1].String()
	tests := []struct {
		name   string
		cmd    *faultCommand
		status int
		counts map[string]map[string]int
		want   string // in the verdict; "" for none
		tally  func(faultTally) int
	}{
		{"acknowledged, applied once", invite, 201, map[string]map[string]int{inviteID: {"workspace-w MemberInvited": 1, "account-a AccountRegistered": 1}}, "", nil},
		{"acknowledged, not applied", invite, 201, nil, "lost", func(f faultTally) int { return f.lost }},
		{"an event twice", invite, 201, map[string]map[string]int{inviteID: {"workspace-w MemberInvited": 2}}, "duplicated", func(f faultTally) int { return f.duplicated }},
		{"the token recorded twice", accept, 200, map[string]map[string]int{acceptID: {"workspace-w InvitationAccepted": 1}, tokenID: {"member-w-a APITokenIssued": 2}}, "duplicated", func(f faultTally) int { return f.duplicated }},
		{"refused, not applied", invite, 409, nil, "", func(f faultTally) int { return f.refused }},
		{"refused, yet applied", invite, 404, map[string]map[string]int{inviteID: {"workspace-w MemberInvited": 1}}, "refused, yet applied", func(f faultTally) int { return f.refusedApplied }},
		{"never answered", invite, 0, nil, "never answered", func(f faultTally) int { return f.unanswered }},
		{"settled by 500", invite, 500, nil, "answered 500", func(f faultTally) int { return f.settledBy5xx }},
		{"another command's events", invite, 201, map[string]map[string]int{acceptID: {"workspace-w InvitationAccepted": 1}}, "lost", func(f faultTally) int { return f.lost }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := *tt.cmd
			cmd.status = tt.status
			var tally faultTally
			got := judgeFault(&cmd, tt.counts, &tally)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("verdict %q, want one with %q", got, tt.want)
			}
			if tt.tally != nil && tt.tally(tally) != 1 {
				t.Errorf("tally %+v does not count it", tally)
			}
		})
	}
}
