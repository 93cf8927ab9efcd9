package main

import (
	"hash/fnv"
	"os"
	"testing"
)

// badInputAllEnv, set to 1, makes TestBadInput send every bad request it knows under
// -short and -race too.
const badInputAllEnv = "ACCESSLEDGER_TEST_BADINPUT_ALL"

// badInputShare is the share of the groups of bad requests a sample sends: one in so many.
const badInputShare = 3

// badInputSample answers the requests of op to send. A plain run sends them all (some
// 7,000 over the document, a quarter of a minute). Under -short, and under the race
// detector, which makes each request several times dearer and is there for data races
// rather than inputs, it sends a sample (some 700): of the groups of requests, each kind
// of mutation of one field or parameter, one group in badInputShare, turning with the
// operation so that every kind is tried somewhere, and of each group kept its first
// request (NUL of the control characters, the least excess of the lengths, "not-a-uuid"
// of the bad UUIDs…).
func badInputSample(op badInputOp, reqs []badInputRecipe) []badInputRecipe {
	if os.Getenv(badInputAllEnv) == "1" || (!badInputRace && !testing.Short()) {
		return reqs
	}
	h := fnv.New32a()
	h.Write([]byte(op.String()))
	seed := int(h.Sum32() % badInputShare)
	seen := map[string]bool{}
	var out []badInputRecipe
	for _, r := range reqs {
		key := r.subject + "\x00" + r.kind
		if seen[key] {
			continue
		}
		seen[key] = true
		if (seed+len(seen))%badInputShare == 0 {
			out = append(out, r)
		}
	}
	return out
}
