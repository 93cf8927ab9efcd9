package projections

import (
	"context"
	"errors"
	"sync"
	"testing"

	"accessledger/internal/pgtest"
)

// TestADatabaseFollowsOneEventLog: the first process binds the database to its log;
// the same log is welcome after, another is refused, also when two start at once.
func TestADatabaseFollowsOneEventLog(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	steps := []struct {
		kind    string
		refused bool
	}{
		{EventLogKurrentDB, false},
		{EventLogKurrentDB, false},
		{EventLogPostgres, true},
	}
	for i, s := range steps {
		err := BindEventLog(ctx, pool, s.kind)
		if errors.Is(err, ErrOtherEventLog) != s.refused || err != nil && !s.refused {
			t.Fatalf("step %d, %s: %v (refused: want %t)", i, s.kind, err, s.refused)
		}
	}

	racing := pgtest.NewPool(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = BindEventLog(ctx, racing, []string{EventLogPostgres, EventLogKurrentDB}[i%2])
		}()
	}
	wg.Wait()
	var refused int
	for _, err := range errs {
		switch {
		case errors.Is(err, ErrOtherEventLog):
			refused++
		case err != nil:
			t.Fatal(err)
		}
	}
	if refused != 4 {
		t.Fatalf("%d of 8 racing binds refused, want the 4 of the losing log", refused)
	}
}
