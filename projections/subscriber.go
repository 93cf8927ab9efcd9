package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
)

// Message metadata keys set by the Subscriber for the handler.
const (
	metaEpoch      = "epoch"
	metaGeneration = "generation"
	metaPosition   = "position" // the checkpoint the batch follows
	metaState      = "state"    // running when the batch reaches the head of the log
)

// SubscriberOptions tune a Subscriber. The zero value is ready to use.
type SubscriberOptions struct {
	// BatchSize caps the events of one message (default 500): a projector that is
	// behind catches up in batches this big; a live one gets each event as it comes.
	BatchSize int
	// LeaseTTL is how long a projection's lease lasts without renewal (default 15s): the
	// time another instance waits to take over after this one dies.
	LeaseTTL time.Duration
	// Owner names this instance in leases (default: a random id).
	Owner  string
	Logger *slog.Logger
}

// Subscriber is a Watermill message.Subscriber over the global log of an event store,
// written against the eventstore interface so that every backend shares it. Its topics
// are projection names: subscribing leases the projection, so that one instance runs
// it at a time, and emits batches of events from its checkpoint on, one message at a
// time, moving on only once the handler acked the message (and so committed the batch
// and the checkpoint together). After a nack it starts again from the checkpoint in
// the database, which is where the batch's effects are, or are not.
type Subscriber struct {
	log      *sharedLog
	pool     *pgxpool.Pool
	opts     SubscriberOptions
	versions map[string]int           // the code version of each topic's projection
	paces    map[string]time.Duration // each topic's BatchInterval (see Paced)

	mu     sync.Mutex
	closed bool
	cancel []context.CancelFunc
	wg     sync.WaitGroup
}

var _ message.Subscriber = (*Subscriber)(nil)

// NewSubscriber answers a Subscriber reading log for projections, with checkpoints and
// leases in pool. It leases a projection only while its live tables were built by the
// projection's version: until a rebuild swaps in tables of that version, it waits.
func NewSubscriber(log eventstore.LogReader, pool *pgxpool.Pool, projections []Projection, opts SubscriberOptions) *Subscriber {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.LeaseTTL <= 0 {
		opts.LeaseTTL = 15 * time.Second
	}
	if opts.Owner == "" {
		opts.Owner = watermill.NewShortUUID()
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	versions := make(map[string]int, len(projections))
	paces := make(map[string]time.Duration, len(projections))
	for _, p := range projections {
		versions[p.Name()] = p.Version()
		paces[p.Name()] = batchInterval(p)
	}
	return &Subscriber{log: shareLog(log), pool: pool, opts: opts, versions: versions, paces: paces}
}

// Subscribe implements message.Subscriber: topic is the name of one of the
// subscriber's projections, whose checkpoint row exists.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errSubscriberClosed
	}
	if _, ok := s.versions[topic]; !ok {
		return nil, fmt.Errorf("subscribe: no projection %q", topic)
	}
	ctx, cancel := context.WithCancel(ctx)
	s.cancel = append(s.cancel, cancel)
	out := make(chan *message.Message)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(out)
		s.run(ctx, topic, out)
	}()
	return out, nil
}

// Close implements message.Subscriber: it stops every subscription and waits for them.
func (s *Subscriber) Close() error {
	s.mu.Lock()
	s.closed = true
	for _, cancel := range s.cancel {
		cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// run holds the projection's lease whenever it can and follows the log under it. When
// the database or the log cannot answer, it tries again soon (outageBackoff), so that
// the projection runs again within a second or so of their return; when another
// instance holds the lease, the projection failed, or anything else failed, it looks
// again every LeaseTTL/5.
func (s *Subscriber) run(ctx context.Context, topic string, out chan<- *message.Message) {
	retry := time.NewTicker(s.opts.LeaseTTL / 5)
	defer retry.Stop()
	failures := outageBackoff(ctx)
	failing := false
	for ctx.Err() == nil {
		c, ok, err := acquireLease(ctx, s.pool, topic, s.versions[topic], s.opts.Owner, s.opts.LeaseTTL)
		if err == nil && ok {
			err = s.follow(ctx, c, out)
			releaseLease(context.WithoutCancel(ctx), s.pool, topic, c.epoch)
		}
		if err != nil && outage(err) && ctx.Err() == nil {
			s.logFailure(topic, err, failing)
			failing = true
			sleep(ctx, failures.NextBackOff())
			continue
		}
		failing = false
		failures.Reset()
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			s.logFailure(topic, err, false)
		case ok:
			continue // a nack, or a lost lease: from the checkpoint again
		}
		select { // another instance holds the lease, the projection failed, or a bug
		case <-ctx.Done():
		case <-retry.C:
		}
	}
}

// logFailure logs why a projection's subscription failed: at level Warn, unless it is
// an outage that was logged already (again: the attempts after the first).
func (s *Subscriber) logFailure(topic string, err error, again bool) {
	level := slog.LevelWarn
	if again {
		level = slog.LevelDebug
	}
	s.opts.Logger.Log(context.Background(), level, "projection subscription failed; trying again soon",
		"projection", topic, "err", err)
}

// follow emits the log from c's checkpoint until a message is nacked, the lease is
// lost or ctx ends, answering nil then; or until the database or the log fails it,
// answering why.
func (s *Subscriber) follow(ctx context.Context, c checkpoint, out chan<- *message.Message) error {
	after := c.position
	renewEvery := s.opts.LeaseTTL / 3
	lastRenew := time.Now()
	pace := s.paces[c.name]
	var lastBatch time.Time
	for {
		if time.Since(lastRenew) > renewEvery {
			if err := renewLease(ctx, s.pool, c.name, c.epoch, s.opts.LeaseTTL); err != nil {
				if errors.Is(err, ErrLeaseLost) {
					return nil
				}
				return err
			}
			lastRenew = time.Now()
		}
		waitCtx, cancel := context.WithTimeout(ctx, renewEvery)
		err := s.log.WaitForEvents(waitCtx, after)
		timedOut := waitCtx.Err() != nil
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil && (timedOut || errors.Is(err, context.DeadlineExceeded)):
			// Timed out waiting, this wait or the one it shared (see WaitForEvents): renew
			// the lease and wait again.
			continue
		case err != nil:
			return fmt.Errorf("wait for events of %s: %w", c.name, err)
		}
		since, ok := keepPace(ctx, pace, lastBatch)
		if !ok {
			return nil
		}
		lastBatch = time.Now()
		page, err := s.log.readPage(ctx, after, s.opts.BatchSize, since)
		if err != nil {
			return fmt.Errorf("read events of %s: %w", c.name, err)
		}
		if len(page.events) == 0 {
			continue
		}
		if !s.deliver(ctx, c, after, page, out) {
			return nil
		}
		after = page.events[len(page.events)-1].Position
	}
}

// deliver sends one batch and reports whether the handler acked it. The batch's events
// travel in the message's context, as the shared page the projections of this process
// decode once (see batchOf); the payload only names the batch's range, for logs and
// middleware: encoding the events in it cost 5% of the process's CPU under load, for
// messages that never leave the process.
func (s *Subscriber) deliver(ctx context.Context, c checkpoint, after eventstore.Position, page *logPage, out chan<- *message.Message) bool {
	last := page.events[len(page.events)-1].Position
	payload := fmt.Appendf(nil, `{"after":%q,"last":%q,"events":%d}`, after, last, len(page.events))
	msg := message.NewMessage(watermill.NewUUID(), payload)
	msg.SetContext(context.WithValue(ctx, logPageKey{}, page))
	msg.Metadata.Set(metaEpoch, strconv.FormatInt(c.epoch, 10))
	msg.Metadata.Set(metaGeneration, strconv.Itoa(c.generation))
	msg.Metadata.Set(metaPosition, after.String())
	state := StateCatchingUp
	if len(page.events) < s.opts.BatchSize {
		state = StateRunning
	}
	msg.Metadata.Set(metaState, state)
	select {
	case out <- msg:
	case <-ctx.Done():
		return false
	}
	select {
	case <-msg.Acked():
		return true
	case <-msg.Nacked():
		return false
	case <-ctx.Done():
		return false
	}
}

// logPageKey is the context key of the shared page a message was made from.
type logPageKey struct{}

// batchOf answers the events of a message decoded, up to the first that cannot be (whose
// *PoisonError it answers beside them), from the shared page its context carries, which
// the other projections of this process decode no more.
func batchOf(msg *message.Message) ([]Envelope, error) {
	page, ok := msg.Context().Value(logPageKey{}).(*logPage)
	if !ok {
		return nil, fmt.Errorf("message %s (%s) carries no events: batches are delivered in process only", msg.UUID, msg.Payload)
	}
	return page.decoded()
}

// checkpointOf rebuilds, in the handler, the checkpoint a message was emitted under.
func checkpointOf(topic string, msg *message.Message) (checkpoint, error) {
	c := checkpoint{name: topic, state: msg.Metadata.Get(metaState)}
	var err error
	if c.epoch, err = strconv.ParseInt(msg.Metadata.Get(metaEpoch), 10, 64); err != nil {
		return c, err
	}
	if c.generation, err = strconv.Atoi(msg.Metadata.Get(metaGeneration)); err != nil {
		return c, err
	}
	c.position, err = eventstore.ParsePosition(msg.Metadata.Get(metaPosition))
	return c, err
}
