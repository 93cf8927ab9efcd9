package projections

import (
	"context"
	"log/slog"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/cenkalti/backoff/v4"
)

// Outage waits: short, so that a projector is back within a second or so of the
// database, and jittered (±50%), so that the projections of an instance do not all
// knock at once. The longest wait is 750ms.
const (
	outageWaitMin = 50 * time.Millisecond
	outageWaitMax = 500 * time.Millisecond
)

// outageBackoff answers the waits between the attempts of something that failed because
// the database or the event store could not answer: growing from outageWaitMin to
// outageWaitMax, never giving up before ctx ends.
func outageBackoff(ctx context.Context) backoff.BackOffContext {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = outageWaitMin
	b.MaxInterval = outageWaitMax
	b.MaxElapsedTime = 0
	return backoff.WithContext(b, ctx)
}

// retryOutages runs op until it succeeds or fails for another reason than an outage
// (see outage), waiting with outageBackoff in between; it gives up when ctx ends,
// answering ctx's error. It logs the first outage at level Warn, the next at Debug:
// one line per outage, not per attempt.
func retryOutages[T any](ctx context.Context, log *slog.Logger, what string, op func() (T, error), attrs ...any) (T, error) {
	attempt := 0
	return backoff.RetryNotifyWithData(func() (T, error) {
		v, err := op()
		if err != nil && !outage(err) {
			return v, backoff.Permanent(err)
		}
		return v, err
	}, outageBackoff(ctx), func(err error, wait time.Duration) {
		level := slog.LevelDebug
		if attempt == 0 {
			level = slog.LevelWarn
		}
		attempt++
		log.Log(ctx, level, what+": the database cannot answer; retrying until it does",
			append(attrs, "err", err, "in", wait.String())...)
	})
}

// waitOutOutages is the handlers' middleware that retries a batch that failed because
// the database or the event store could not answer, for as long as the outage lasts:
// nothing is wrong with the events, so the projection must not stop. Any other failure
// goes on to stopOnFailure, after the retries of retry (which passes outages through).
// It ends with the subscription (the message's context).
func (r *Runtime) waitOutOutages(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		return retryOutages(msg.Context(), r.opts.Logger, "projection batch failed", func() ([]*message.Message, error) {
			return h(msg)
		}, "projection", message.SubscribeTopicFromCtx(msg.Context()))
	}
}

// sleep waits for d, and reports false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
