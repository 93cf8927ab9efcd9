package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"

	"accessledger/internal/broadcast"

	"accessledger/eventstore"
)

// notifyChannel is the LISTEN/NOTIFY channel on which appends announce themselves.
const notifyChannel = "accessledger_events"

// hiddenRecheckMin is the first wait before looking again when events are committed
// but still hidden behind an older open transaction; it doubles up to the poll interval.
const hiddenRecheckMin = 2 * time.Millisecond

// WaitForEvents implements eventstore.LogReader.
//
// Wake-ups come from appends (this process's at once, others' through NOTIFY), and
// polling is the fallback. An event that commits while an older transaction is still
// open stays hidden until that transaction ends, and nothing announces that end: so
// while committed events are hidden, it looks again soon, backing off.
func (s *Store) WaitForEvents(ctx context.Context, after eventstore.Position) error {
	ticker := time.NewTicker(s.opts.PollInterval)
	defer ticker.Stop()
	recheck := hiddenRecheckMin
	for {
		// Take the wake-up channel before looking, so a wake-up that fires between the
		// look and the wait is not lost.
		woken, ended := s.wake.Channel(), s.ended.Channel()
		visible, hidden, err := s.sharedEventsAfter(ctx, after, woken)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return fmt.Errorf("wait for events after %s: %w", after, err)
		}
		if visible {
			return nil
		}
		var soon <-chan time.Time
		if hidden {
			soon = time.After(recheck)
			recheck = min(2*recheck, s.opts.PollInterval)
		} else {
			ended = nil // only a reader held back by an open transaction cares when one ends
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-woken:
		case <-ticker.C:
		case <-soon:
		case <-ended:
		}
	}
}

// sharedEventsAfter is eventsAfter, asked once for every reader of this process that
// waits after the same position since the same wake-up: the projections of a process
// wake together and wait at the same head. Keying the question by the wake-up channel
// the reader holds makes it join only a check begun after the last wake-up, so no
// wake-up is lost.
func (s *Store) sharedEventsAfter(ctx context.Context, after eventstore.Position, woken <-chan struct{}) (visible, hidden bool, err error) {
	v, err, _ := s.checks.Do(fmt.Sprintf("%s/%p", after, woken), func() (any, error) {
		visible, hidden, err := s.eventsAfter(ctx, after)
		return [2]bool{visible, hidden}, err
	})
	if errors.Is(err, context.Canceled) && ctx.Err() == nil {
		// The check this call joined was its caller's, who left: ask for this caller.
		return s.eventsAfter(ctx, after)
	}
	if err != nil {
		return false, false, err
	}
	answer := v.([2]bool)
	return answer[0], answer[1], nil
}

// TransactionEnded tells the store that a transaction of this process that may have held
// committed events hidden has ended, such as a projection's batch: readers waiting behind
// it look again at once rather than at their next backed-off look.
func (s *Store) TransactionEnded() { s.ended.Fire() }

// appended wakes this process's readers at once and asks for a NOTIFY to the others.
func (s *Store) appended() {
	s.wake.Fire()
	select {
	case s.notifyPending <- struct{}{}:
	default: // a NOTIFY is already due; it covers this append too
	}
}

// notifyLoop sends at most one NOTIFY per NotifyInterval, after commit rather than inside
// the append: NOTIFY inside a transaction takes a global lock at commit that would
// serialise every concurrent append.
func (s *Store) notifyLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.notifyPending:
		}
		if _, err := s.pool.Exec(ctx, "SELECT pg_notify($1, '')", notifyChannel); err != nil && ctx.Err() == nil {
			s.opts.Logger.Warn("event store: notify failed; readers fall back to polling", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.opts.NotifyInterval):
		}
	}
}

// listen wakes this process's readers whenever another process (or this one) appends.
func (s *Store) listen(ctx context.Context) {
	l := &pgxlisten.Listener{
		Connect: func(ctx context.Context) (*pgx.Conn, error) {
			return pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
		},
		LogError: func(ctx context.Context, err error) {
			if ctx.Err() == nil {
				s.opts.Logger.Warn("event store: listener", "err", err)
			}
		},
		ReconnectDelay: time.Second,
	}
	l.Handle(notifyChannel, wakeHandler{s.wake})
	_ = l.Listen(ctx) // returns only when ctx ends
}

// wakeHandler fires the broadcast on every notification, and once when the listener
// (re)connects, since notifications sent while it was away are lost.
type wakeHandler struct{ b *broadcast.Broadcast }

func (h wakeHandler) HandleNotification(context.Context, *pgconn.Notification, *pgx.Conn) error {
	h.b.Fire()
	return nil
}

func (h wakeHandler) HandleBacklog(context.Context, string, *pgx.Conn) error {
	h.b.Fire()
	return nil
}
