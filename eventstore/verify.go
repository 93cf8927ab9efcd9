package eventstore

import (
	"context"
	"fmt"
)

// BrokenLink is the first place where a stream's stored history no longer proves itself.
type BrokenLink struct {
	Stream   string
	Version  int64
	Position Position
	// Problem says what does not match.
	Problem string
}

func (b BrokenLink) String() string {
	return fmt.Sprintf("%s version %d (position %s): %s", b.Stream, b.Version, b.Position, b.Problem)
}

// VerifyReport sums up a Verify run.
type VerifyReport struct {
	Events  int64
	Streams int
	Broken  []BrokenLink
}

// verifyPage is the number of events Verify reads at once.
const verifyPage = 1000

// Verify walks the whole global log and checks every stream's versions and hash chain.
// It reports the first broken link of each stream (later events of a broken stream are
// not checked further) and calls onBroken, if not nil, as it finds each one.
//
// A stream whose newest events were removed still verifies: the chain proves the events
// that are there, not that none are missing at the end.
func Verify(ctx context.Context, log LogReader, onBroken func(BrokenLink)) (VerifyReport, error) {
	type head struct {
		version int64
		hash    Hash
		broken  bool
	}
	heads := make(map[string]*head)
	var report VerifyReport
	var after Position
	for {
		page, err := log.ReadAll(ctx, after, verifyPage)
		if err != nil {
			return report, fmt.Errorf("verify: read after %s: %w", after, err)
		}
		if len(page) == 0 {
			break
		}
		for i := range page {
			e := &page[i]
			report.Events++
			h := heads[e.Stream]
			if h == nil {
				h = &head{}
				heads[e.Stream] = h
			}
			if h.broken {
				continue
			}
			if problem := checkLink(h.version, h.hash, e); problem != "" {
				h.broken = true
				b := BrokenLink{Stream: e.Stream, Version: e.Version, Position: e.Position, Problem: problem}
				report.Broken = append(report.Broken, b)
				if onBroken != nil {
					onBroken(b)
				}
				continue
			}
			h.version, h.hash = e.Version, e.Hash
		}
		after = page[len(page)-1].Position
	}
	report.Streams = len(heads)
	return report, nil
}

// checkLink answers what is wrong with e as the successor of the event at version
// prevVersion with hash prevHash, or "".
func checkLink(prevVersion int64, prevHash Hash, e *Event) string {
	switch {
	case e.Version != prevVersion+1:
		return fmt.Sprintf("version follows %d: events are missing", prevVersion)
	case e.PrevHash != prevHash:
		return fmt.Sprintf("prev_hash %s does not match the hash %s of version %d", e.PrevHash, prevHash, prevVersion)
	}
	if want := ChainHash(e.PrevHash, e); want != e.Hash {
		return fmt.Sprintf("stored hash %s, content hashes to %s: the event was changed", e.Hash, want)
	}
	return ""
}
