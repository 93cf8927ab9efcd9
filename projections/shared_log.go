package projections

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"accessledger/eventstore"
)

// sharedPages is how many recently read pages of the log a sharedLog keeps: enough for
// every projection of a runtime to find the page that the first of them read.
const sharedPages = 32

// sharedLog lets the projections of one process share their reads of the global log.
// Live, they all sit at the head and ask for the same page after each append: one reads
// it and the others get the same answer, from the read in flight or from the pages kept.
//
// Sharing is safe because a page never goes stale. Every event a later read could add
// after position p belongs to a transaction that was still open when the page was read,
// so it sorts after every event of the page: a page is a correct, if perhaps short,
// answer for as long as anyone asks.
type sharedLog struct {
	eventstore.LogReader
	reads singleflight.Group
	pages *lru.Cache[pageKey, *logPage]

	mu   sync.Mutex
	seen eventstore.Position // the last position a read answered: visible to everyone
}

type pageKey struct {
	after eventstore.Position
	limit int
}

func shareLog(log eventstore.LogReader) *sharedLog {
	pages, _ := lru.New[pageKey, *logPage](sharedPages) // fails only for a size <= 0
	return &sharedLog{LogReader: log, pages: pages}
}

// ReadAll implements eventstore.LogReader. Callers must not change the events answered:
// other projections read the same slice.
func (l *sharedLog) ReadAll(ctx context.Context, after eventstore.Position, limit int) ([]eventstore.Event, error) {
	page, err := l.readPage(ctx, after, limit, time.Time{})
	if err != nil {
		return nil, err
	}
	return page.events, nil
}

// readPage is ReadAll answering the shared page itself, with what the projections make of
// it once for all of them: a page read at since or later. A paced read model asks for a
// page read since its pace let it go, not for the short page a read model that follows
// every event read before; the paced ones that go at the same instant share one read.
func (l *sharedLog) readPage(ctx context.Context, after eventstore.Position, limit int, since time.Time) (*logPage, error) {
	key := pageKey{after, limit}
	if page, ok := l.pages.Get(key); ok && !page.readAt.Before(since) {
		return page, nil
	}
	v, err, _ := l.reads.Do(fmt.Sprintf("%s/%d/%d", after, limit, since.UnixNano()), func() (any, error) {
		readAt := time.Now()
		events, err := l.LogReader.ReadAll(ctx, after, limit)
		if err != nil {
			return nil, err
		}
		page := newLogPage(events, readAt)
		if len(events) > 0 {
			l.pages.Add(key, page)
			l.sawUpTo(events[len(events)-1].Position)
		}
		return page, nil
	})
	if errors.Is(err, context.Canceled) && ctx.Err() == nil {
		// The read this call joined was its caller's, who left: read for this caller.
		events, err := l.LogReader.ReadAll(ctx, after, limit)
		if err != nil {
			return nil, err
		}
		return newLogPage(events, time.Now()), nil
	}
	if err != nil {
		return nil, err
	}
	return v.(*logPage), nil
}

// logPage is a page of the log as the projections of a process share it: its events,
// and what every projection would otherwise make of them again for itself (the message
// payload, the decoded envelopes), made once, by the first that asks. Nobody may change
// what it answers.
type logPage struct {
	events  []eventstore.Event
	readAt  time.Time // when its read began: it holds every event visible then
	decoded func() ([]Envelope, error)
}

func newLogPage(events []eventstore.Event, readAt time.Time) *logPage {
	return &logPage{events: events, readAt: readAt,
		decoded: sync.OnceValues(func() ([]Envelope, error) { return decodePrefix(events) }),
	}
}

// WaitForEvents implements eventstore.LogReader. It returns at once when another reader
// has already read an event after after, which is then visible to every reader.
func (l *sharedLog) WaitForEvents(ctx context.Context, after eventstore.Position) error {
	l.mu.Lock()
	ahead := after.Before(l.seen)
	l.mu.Unlock()
	if ahead {
		return nil
	}
	return l.LogReader.WaitForEvents(ctx, after)
}

func (l *sharedLog) sawUpTo(pos eventstore.Position) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen.Before(pos) {
		l.seen = pos
	}
}
