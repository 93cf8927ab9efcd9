// Package broadcast wakes every goroutine that waits for something to happen: the event
// store's tailing readers when an append commits, read-your-writes waiters when a
// projection commits a batch.
package broadcast

import "sync"

// Broadcast is a reusable wake-up for any number of waiters. The zero value is not
// ready to use; call New.
type Broadcast struct {
	mu sync.Mutex
	ch chan struct{}
}

// New answers a Broadcast that has not fired yet.
func New() *Broadcast { return &Broadcast{ch: make(chan struct{})} }

// Channel answers a channel that is closed at the next Fire. Take it before checking the
// condition waited for, so that a Fire between the check and the wait is not lost.
func (b *Broadcast) Channel() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ch
}

// Fire wakes every goroutine waiting on a channel from Channel.
func (b *Broadcast) Fire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.ch)
	b.ch = make(chan struct{})
}
