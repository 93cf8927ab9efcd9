package broadcast

import (
	"testing"
	"time"
)

func TestFireWakesEveryWaiterOnce(t *testing.T) {
	b := New()
	first, second := b.Channel(), b.Channel()
	b.Fire()
	for i, ch := range []<-chan struct{}{first, second} {
		select {
		case <-ch:
		case <-time.After(time.Second):
			t.Fatalf("waiter %d was not woken", i)
		}
	}
	select {
	case <-b.Channel():
		t.Fatal("a channel taken after Fire is closed already")
	default:
	}
}
