package storetest

import (
	"testing"

	"accessledger/eventstore"
)

func testVerify(t *testing.T, h Harness) {
	s := h.NewStore(t)
	a, b := streamName("a"), streamName("b")
	mustAppend(t, s, a, eventstore.NoStream(), events(3)...)
	mustAppend(t, s, b, eventstore.NoStream(), events(2)...)
	last := mustAppend(t, s, b, eventstore.Exact(2), events(2)...)
	WaitVisible(t, s, last.Position)

	report, err := eventstore.Verify(testContext(t), s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if report.Events != 7 || report.Streams != 2 || len(report.Broken) != 0 {
		t.Fatalf("verify of an intact store = %+v, want 7 events, 2 streams, nothing broken", report)
	}
	if h.Tamper == nil {
		t.Skip("this backend cannot tamper with stored events")
	}
	h.Tamper(t, s, a, 2)
	var seen []eventstore.BrokenLink
	report, err = eventstore.Verify(testContext(t), s, func(b eventstore.BrokenLink) { seen = append(seen, b) })
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Broken) != 1 || len(seen) != 1 {
		t.Fatalf("verify after tampering reported %v (seen %v), want one broken link", report.Broken, seen)
	}
	if got := report.Broken[0]; got.Stream != a || got.Version != 2 {
		t.Errorf("broken link at %s v%d, want %s v2", got.Stream, got.Version, a)
	}
}
