package storetest

import (
	"errors"
	"testing"

	"accessledger/eventstore"
)

func testReadStream(t *testing.T, h Harness) {
	s := h.NewStore(t)
	stream := streamName("read")
	mustAppend(t, s, stream, eventstore.NoStream(), events(10)...)
	fwd, back := eventstore.Forward, eventstore.Backward
	tests := []struct {
		name string
		opts eventstore.ReadStreamOptions
		want []int64
	}{
		{"forward from the start", eventstore.ReadStreamOptions{Limit: 3}, []int64{1, 2, 3}},
		{"forward from a version", eventstore.ReadStreamOptions{Direction: fwd, From: 8, Limit: 5}, []int64{8, 9, 10}},
		{"forward past the end", eventstore.ReadStreamOptions{From: 11}, nil},
		{"backward from the end", eventstore.ReadStreamOptions{Direction: back, Limit: 3}, []int64{10, 9, 8}},
		{"backward from a version", eventstore.ReadStreamOptions{Direction: back, From: 2}, []int64{2, 1}},
		{"backward from past the end", eventstore.ReadStreamOptions{Direction: back, From: 50, Limit: 1}, []int64{10}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ReadStream(testContext(t), stream, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("read %d events, want versions %v", len(got), tc.want)
			}
			for i, e := range got {
				if e.Version != tc.want[i] || e.Stream != stream {
					t.Errorf("event %d is %s v%d, want v%d", i, e.Stream, e.Version, tc.want[i])
				}
			}
		})
	}
	if _, err := s.ReadStream(testContext(t), streamName("missing"), eventstore.ReadStreamOptions{}); !errors.Is(err, eventstore.ErrStreamNotFound) {
		t.Errorf("reading a missing stream: %v, want ErrStreamNotFound", err)
	}
	for _, bad := range []eventstore.ReadStreamOptions{{Limit: -1}, {From: -1}} {
		if _, err := s.ReadStream(testContext(t), stream, bad); !errors.Is(err, eventstore.ErrInvalid) {
			t.Errorf("read with %+v: %v, want ErrInvalid", bad, err)
		}
	}
}

func testReadAll(t *testing.T, h Harness) {
	s := h.NewStore(t)
	if head := mustHead(t, s); !head.IsZero() {
		t.Fatalf("empty store has head %s", head)
	}
	if page, err := s.ReadAll(testContext(t), eventstore.Position{}, 10); err != nil || len(page) != 0 {
		t.Fatalf("empty store: read %d events, %v", len(page), err)
	}
	streams := []string{streamName("a"), streamName("b"), streamName("c")}
	var last eventstore.AppendResult
	for i := range 12 {
		stream := streams[i%len(streams)]
		last = mustAppend(t, s, stream, eventstore.Any(), events(1+i%2)...)
	}
	all := readAll(t, s, 18)
	if len(all) != 18 {
		t.Fatalf("global log has %d events, want 18", len(all))
	}
	versions := map[string]int64{}
	for i, e := range all {
		if i > 0 && !all[i-1].Position.Before(e.Position) {
			t.Fatalf("event %d at %s does not follow %s", i, e.Position, all[i-1].Position)
		}
		if e.Version != versions[e.Stream]+1 {
			t.Fatalf("%s v%d follows v%d in the global log", e.Stream, e.Version, versions[e.Stream])
		}
		versions[e.Stream] = e.Version
	}
	if head := mustHead(t, s); head != last.Position || head != all[len(all)-1].Position {
		t.Errorf("head %s, last append %s, last read %s", head, last.Position, all[len(all)-1].Position)
	}
	rest, err := s.ReadAll(testContext(t), all[9].Position, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != 8 || rest[0].ID != all[10].ID {
		t.Errorf("resuming after event 9 answered %d events, want the last 8", len(rest))
	}
	if _, err := s.ReadAll(testContext(t), eventstore.Position{}, -1); !errors.Is(err, eventstore.ErrInvalid) {
		t.Errorf("negative limit: %v, want ErrInvalid", err)
	}
}
