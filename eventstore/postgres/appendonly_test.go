package postgres

import (
	"context"
	"strings"
	"testing"

	"accessledger/eventstore"
	"accessledger/internal/pgtest"
)

// TestEventsAreAppendOnly checks that the table refuses edits made behind the store's
// back unless its trigger is switched off first (which verify then catches).
func TestEventsAreAppendOnly(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	s := openStore(t, pool)
	ctx := context.Background()
	if _, err := s.Append(ctx, "member-x", eventstore.NoStream(), eventstore.EventData{Type: "t.x", Data: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`UPDATE events SET data = '{"a":1}'`,
		`DELETE FROM events`,
		`TRUNCATE events`,
	} {
		_, err := pool.Exec(ctx, sql)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error %v, want the append-only refusal", sql, err)
		}
	}
	got, err := s.ReadStream(ctx, "member-x", eventstore.ReadStreamOptions{})
	if err != nil || len(got) != 1 {
		t.Fatalf("after refused edits: %d events, %v", len(got), err)
	}
}
