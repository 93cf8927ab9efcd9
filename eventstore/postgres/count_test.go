package postgres_test

import (
	"context"
	"testing"

	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
	"accessledger/eventstore/storetest"
	"accessledger/internal/pgtest"
)

func TestCountAfter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := postgres.Open(ctx, pgtest.NewPool(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	var positions []eventstore.Position
	for i := range 5 {
		res, err := store.Append(ctx, "stream-a", eventstore.Any(), eventstore.EventData{
			Type: "test.counted", Data: []byte(`{"i":` + string(rune('0'+i)) + `}`), Metadata: eventstore.Metadata{Actor: "system"}})
		if err != nil {
			t.Fatal(err)
		}
		positions = append(positions, res.Position)
	}
	// Events become visible to log readers once every older transaction of the cluster
	// has ended, and parallel tests hold some.
	storetest.WaitVisible(t, store, positions[4])
	for _, tc := range []struct {
		name  string
		after eventstore.Position
		limit int64
		want  int64
	}{
		{"from the start", eventstore.Position{}, 100, 5},
		{"after the second", positions[1], 100, 3},
		{"at the head", positions[4], 100, 0},
		{"capped", eventstore.Position{}, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := store.CountAfter(ctx, tc.after, tc.limit)
			if err != nil || got != tc.want {
				t.Fatalf("CountAfter = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}
