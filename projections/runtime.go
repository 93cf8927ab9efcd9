package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
	"accessledger/internal/broadcast"
)

var errSubscriberClosed = errors.New("projection subscriber closed")

// Options tune a Runtime. The zero value is ready to use.
type Options struct {
	Subscriber SubscriberOptions
	Logger     *slog.Logger
	// RetryIntervals are the waits between the attempts at a batch that failed for a
	// reason that may pass (a deadlock, a bug that a restart cures); after the last, the
	// projection stops and reports the error. Default: 100ms, 500ms, 2s. A batch that
	// failed because the database or the event store could not answer is not counted
	// against them: it is retried, every 750ms at most, until they answer.
	RetryIntervals []time.Duration
	// InitialBuildMin is the size of the log from which a never-run projection is built
	// in the background, as a rebuild does, rather than caught up by its projector
	// batch by batch (default 10,000 events).
	InitialBuildMin int
	// beforeCommit, in tests, runs inside each batch's transaction before the commit;
	// afterCommit after the commit, before the message is acked.
	beforeCommit, afterCommit func(projection string)
}

// Runtime runs projections: one Watermill router, one handler per projection.
type Runtime struct {
	pool        *pgxpool.Pool
	log         eventstore.LogReader
	projections map[string]Projection
	sub         *Subscriber
	opts        Options
	progress    *broadcast.Broadcast
	committed   committedPositions // what this process's projectors committed, for WaitFor
	unready     *unready           // the projections that cannot answer queries yet, for Ready
}

// NewRuntime answers a runtime for projections over log, keeping their tables and
// checkpoints in pool.
func NewRuntime(pool *pgxpool.Pool, log eventstore.LogReader, projections []Projection, opts Options) *Runtime {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Subscriber.Logger == nil {
		opts.Subscriber.Logger = opts.Logger
	}
	if len(opts.RetryIntervals) == 0 {
		opts.RetryIntervals = []time.Duration{100 * time.Millisecond, 500 * time.Millisecond, 2 * time.Second}
	}
	byName := make(map[string]Projection, len(projections))
	for _, p := range projections {
		byName[p.Name()] = p
	}
	return &Runtime{pool: pool, projections: byName, log: log, sub: NewSubscriber(log, pool, projections, opts.Subscriber),
		opts: opts, progress: broadcast.New(), unready: newUnready(byName)}
}

// Run installs missing projections and runs them until ctx ends. A projection that
// fails stops alone, with its error recorded; the others go on. Projections whose live
// tables were built by another version of their code, and never-run ones over a log of
// some size, are built together in the background first (see startInitialBuilds).
func (r *Runtime) Run(ctx context.Context) error {
	var builds sync.WaitGroup
	defer builds.Wait()
	if err := r.startInitialBuilds(ctx, &builds); err != nil {
		return err
	}
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, watermill.NewSlogLogger(r.opts.Logger))
	if err != nil {
		return fmt.Errorf("projections: %w", err)
	}
	// Added first is outermost: failures are recorded after the retries, outages are
	// waited out without counting against them, and panics are turned into errors
	// innermost, so that they are retried like any other.
	router.AddMiddleware(r.stopOnFailure, r.waitOutOutages, r.retry().Middleware, middleware.Recoverer)
	for name, p := range r.projections {
		router.AddConsumerHandler(name, name, r.sub, r.handler(p))
	}
	go r.cleanPendingLists(ctx)
	return router.Run(ctx)
}

// retry answers the retry middleware of the handlers: as many retries as
// RetryIntervals has entries, starting at the first interval, growing by the ratio of the
// second to the first and capped at the last (100ms, 500ms, 2s by default), without
// jitter: a projector is alone on its projection. Outages pass through at once, to
// waitOutOutages.
func (r *Runtime) retry() middleware.Retry {
	intervals := r.opts.RetryIntervals
	multiplier := 1.0
	if len(intervals) > 1 && intervals[0] > 0 {
		multiplier = max(1, float64(intervals[1])/float64(intervals[0]))
	}
	return middleware.Retry{
		MaxRetries:      len(intervals),
		InitialInterval: intervals[0],
		MaxInterval:     intervals[len(intervals)-1],
		Multiplier:      multiplier,
		ShouldRetry: func(p middleware.RetryParams) bool {
			var poison *PoisonError
			return !errors.As(p.Err, &poison) && !errors.Is(p.Err, ErrLeaseLost) && !outage(p.Err)
		},
		Logger: watermill.NewSlogLogger(r.opts.Logger),
	}
}

// transactionEnder is a log whose readers wait for this process's transactions to end
// before they see events committed after those began (the PostgreSQL store).
type transactionEnder interface{ TransactionEnded() }

// handler applies one message's batch to its projection.
func (r *Runtime) handler(p Projection) message.NoPublishHandlerFunc {
	return func(msg *message.Message) error {
		c, err := checkpointOf(p.Name(), msg)
		if err != nil {
			return fmt.Errorf("%s: message metadata: %w", p.Name(), err)
		}
		envs, decodeErr := batchOf(msg)
		if len(envs) == 0 && decodeErr != nil {
			var poison *PoisonError
			if !errors.As(decodeErr, &poison) {
				return fmt.Errorf("%s: %w", p.Name(), decodeErr)
			}
		}
		var hook func()
		if r.opts.beforeCommit != nil {
			hook = func() { r.opts.beforeCommit(p.Name()) }
		}
		if err := applyEvents(msg.Context(), r.pool, p, c, envs, decodeErr, hook); err != nil {
			if errors.Is(err, errCheckpointBehind) {
				r.committed.forget(p.Name()) // what this process saw committed was lost
			}
			return err
		}
		if r.opts.afterCommit != nil {
			r.opts.afterCommit(p.Name())
		}
		if len(envs) > 0 {
			r.committed.advance(p.Name(), envs[len(envs)-1].Position)
		}
		if ended, ok := r.log.(transactionEnder); ok {
			ended.TransactionEnded() // the batch's transaction may have held later events hidden
		}
		r.progress.Fire()
		return nil
	}
}

// stopOnFailure records a batch that failed for good (after the retries) as the
// projection's failure, which stops it until an operator rebuilds or resets it. A lost
// lease is not a failure: the subscriber takes the lease again or yields to the holder.
// Nor is an outage, which only the end of the subscription gets past waitOutOutages:
// nothing is wrong with the events.
func (r *Runtime) stopOnFailure(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		out, err := h(msg)
		if err == nil || errors.Is(err, ErrLeaseLost) || msg.Context().Err() != nil || outage(err) {
			return out, err
		}
		topic := message.SubscribeTopicFromCtx(msg.Context())
		c, cerr := checkpointOf(topic, msg)
		if cerr == nil {
			cerr = markFailed(context.WithoutCancel(msg.Context()), r.pool, topic, c.epoch, err)
		}
		r.opts.Logger.Error("projection stopped", "projection", topic, "err", err, "record_err", cerr)
		return out, err
	}
}
