package domain

import (
	"testing"

	"github.com/google/uuid"
)

func claimOf(events ...Event) *Claim {
	c := new(Claim)
	for _, e := range events {
		c.Apply(e)
	}
	return c
}

func TestClaim(t *testing.T) {
	cases := []struct {
		name  string
		given []Event
		by    uuid.UUID
		code  string
		then  []Event
		err   string
	}{
		{"a new value", nil, targetID, CodeEmailTaken, []Event{Claimed{AccountID: targetID}}, ""},
		{"again by the holder", []Event{Claimed{AccountID: targetID}}, targetID, CodeEmailTaken, nil, ""},
		{"an email held by another", []Event{Claimed{AccountID: memberID}}, targetID, CodeEmailTaken, nil, CodeEmailTaken},
		{"a login held by another", []Event{Claimed{AccountID: memberID}}, targetID, CodeLoginTaken, nil, CodeLoginTaken},
		{"a released value", []Event{Claimed{AccountID: memberID}, ClaimReleased{AccountID: memberID}}, targetID, CodeEmailTaken, []Event{Claimed{AccountID: targetID}}, ""},
		{"without an account", nil, uuid.Nil, CodeEmailTaken, nil, CodeValidationFailed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := claimOf(c.given...).Claim(c.by, c.code)
			expect(t, got, err, c.then, c.err)
		})
	}
}

func TestReleaseClaim(t *testing.T) {
	cases := []struct {
		name  string
		given []Event
		by    uuid.UUID
		then  []Event
		err   string
	}{
		{"by the holder", []Event{Claimed{AccountID: targetID}}, targetID, []Event{ClaimReleased{AccountID: targetID}}, ""},
		{"by another account", []Event{Claimed{AccountID: memberID}}, targetID, nil, CodeForbidden},
		{"never claimed", nil, targetID, nil, ""},
		{"already released", []Event{Claimed{AccountID: targetID}, ClaimReleased{AccountID: targetID}}, targetID, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := claimOf(c.given...).Release(c.by)
			expect(t, got, err, c.then, c.err)
		})
	}
}

func TestClaimHolder(t *testing.T) {
	if id, held := claimOf(Claimed{AccountID: targetID}).Holder(); !held || id != targetID {
		t.Fatalf("holder %s, %v", id, held)
	}
	if _, held := claimOf(Claimed{AccountID: targetID}, ClaimReleased{AccountID: targetID}).Holder(); held {
		t.Fatal("a released claim is still held")
	}
}
