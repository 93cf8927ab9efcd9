package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/eventstore/kurrentdb/kurrentdbtest"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
)

func TestVerify(t *testing.T) {
	intact := append(chain("member-1", 3, 0), chain("member-2", 2, 3)...)
	tampered := append(chain("member-1", 3, 0), chain("member-2", 2, 3)...)
	tampered[1].Data = json.RawMessage(`{"role":"owner"}`)

	tests := []struct {
		name       string
		log        *fakeLog
		wantCode   int
		wantStdout []string
	}{
		{"intact chains", &fakeLog{events: intact}, 0, []string{"verified 5 events in 2 streams: 0 broken\n"}},
		{"changed event", &fakeLog{events: tampered}, exitBroken, []string{
			"BROKEN member-1 version 2", "the event was changed", "verified 5 events in 2 streams: 1 broken\n",
		}},
		{"unreadable log", &fakeLog{err: errors.New("disk on fire")}, exitFailed, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			e := env{stdout: &stdout, stderr: &stderr, openLog: openFakeLog(tt.log)}
			code := run(t.Context(), []string{"verify", "--database-url", pgtest.NewDatabase(t)}, e)
			if code != tt.wantCode {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if !tt.log.closed {
				t.Error("the event log was not closed")
			}
		})
	}
}

// TestVerifyPostgres runs verify on the real event store: intact, then after an event
// was changed with SQL behind the store's back.
func TestVerifyPostgres(t *testing.T) {
	url := pgtest.NewDatabase(t)
	pool, err := pgxpool.New(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	store, err := postgres.Open(t.Context(), pool, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, stream := range []string{"member-a", "member-b"} {
		data := chain(stream, 3, 0)
		events := make([]eventstore.EventData, len(data))
		for i, e := range data {
			events[i] = eventstore.EventData{ID: e.ID, Type: e.Type, Data: e.Data, Metadata: e.Metadata}
		}
		if _, err := store.Append(t.Context(), stream, eventstore.NoStream(), events...); err != nil {
			t.Fatal(err)
		}
	}
	verify := func() (int, string) {
		var stdout, stderr bytes.Buffer
		code := run(t.Context(), []string{"verify", "--database-url", url}, env{stdout: &stdout, stderr: &stderr})
		return code, stdout.String() + stderr.String()
	}
	if code, out := verify(); code != 0 || !strings.Contains(out, "verified 6 events in 2 streams: 0 broken") {
		t.Fatalf("verify of an intact log: status %d\n%s", code, out)
	}
	_, err = pool.Exec(t.Context(), `ALTER TABLE events DISABLE TRIGGER events_append_only;
		UPDATE events SET reason = 'approved by the board' WHERE stream = 'member-b' AND stream_version = 2;
		ALTER TABLE events ENABLE TRIGGER events_append_only`)
	if err != nil {
		t.Fatal(err)
	}
	code, out := verify()
	if code != exitBroken || !strings.Contains(out, "BROKEN member-b version 2") || strings.Contains(out, "BROKEN member-a") {
		t.Fatalf("verify after tampering: status %d\n%s", code, out)
	}
}

// chain answers n sealed events of stream, at the global positions after first.
func chain(stream string, n int, first uint64) []eventstore.Event {
	data := make([]eventstore.EventData, n)
	for i := range data {
		data[i] = eventstore.EventData{
			ID: uuid.New(), Type: "member.invited", Data: json.RawMessage(`{"role":"member"}`),
			Metadata: eventstore.Metadata{Actor: "system"},
		}
	}
	events := eventstore.Seal(stream, 0, eventstore.Hash{}, data)
	for i := range events {
		events[i].Position = eventstore.NewPosition(1, first+uint64(i)+1)
	}
	return events
}

// fakeLog is an event log in memory, in global order.
type fakeLog struct {
	events []eventstore.Event
	err    error // answered by every read
	closed bool
}

func openFakeLog(l *fakeLog) logOpener {
	return func(context.Context, string, *pgxpool.Pool, *slog.Logger) (eventstore.LogReader, func(), error) {
		return l, func() { l.closed = true }, nil
	}
}

func (l *fakeLog) ReadAll(_ context.Context, after eventstore.Position, limit int) ([]eventstore.Event, error) {
	if l.err != nil {
		return nil, l.err
	}
	var page []eventstore.Event
	for _, e := range l.events {
		if after.Before(e.Position) && len(page) < limit {
			page = append(page, e)
		}
	}
	return page, nil
}

func (l *fakeLog) WaitForEvents(ctx context.Context, after eventstore.Position) error {
	if page, err := l.ReadAll(ctx, after, 1); err != nil || len(page) > 0 {
		return err
	}
	<-ctx.Done()
	return ctx.Err()
}

func (l *fakeLog) Head(context.Context) (eventstore.Position, error) {
	if len(l.events) == 0 {
		return eventstore.Position{}, l.err
	}
	return l.events[len(l.events)-1].Position, l.err
}

// TestVerifyKurrentDB: `workspace create`, `projections rebuild` and `verify` with
// EVENTSTORE_URL keep, project and check the events in KurrentDB (kurrentdbtest's
// model): intact, then after an event was rewritten on the server.
func TestVerifyKurrentDB(t *testing.T) {
	server := kurrentdbtest.Start(t)
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	t.Setenv("EVENTSTORE_URL", server.URL())
	var out bytes.Buffer
	if code := run(t.Context(), []string{"workspace", "create", "--name", "Audit", "--owner-email", "cfo@audit.example", "--json"},
		env{stdout: &out, stderr: t.Output()}); code != 0 {
		t.Fatalf("workspace create: exit status %d", code)
	}
	var created struct {
		WorkspaceID string `json:"workspace_id"`
	}
	if err := json.Unmarshal(out.Bytes(), &created); err != nil {
		t.Fatalf("workspace create printed %q: %v", out.String(), err)
	}
	if code := run(t.Context(), []string{"projections", "rebuild", "--all"}, env{stdout: io.Discard, stderr: t.Output()}); code != 0 {
		t.Fatalf("projections rebuild --all: exit status %d", code)
	}
	verify := func() (int, string) {
		var stdout bytes.Buffer
		code := run(t.Context(), []string{"verify"}, env{stdout: &stdout, stderr: t.Output()})
		return code, stdout.String()
	}
	if code, out := verify(); code != 0 || !strings.Contains(out, ": 0 broken") {
		t.Fatalf("verify of an intact log: status %d\n%s", code, out)
	}
	// verify only reads: a database whose read models follow PostgreSQL may check it.
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	if code := run(t.Context(), []string{"workspace", "create", "--eventstore-url", "", "--name", "Other", "--owner-email", "o@other.example"},
		env{stdout: io.Discard, stderr: t.Output()}); code != 0 {
		t.Fatalf("workspace create on PostgreSQL: exit status %d", code)
	}
	if code, out := verify(); code != 0 || !strings.Contains(out, ": 0 broken") {
		t.Fatalf("verify from a database bound to PostgreSQL: status %d\n%s", code, out)
	}
	stream := domain.WorkspaceStream(uuid.MustParse(created.WorkspaceID))
	if err := server.Rewrite(stream, 0, []byte(`{"name":"Someone else's"}`)); err != nil {
		t.Fatal(err)
	}
	if code, out := verify(); code != exitBroken || !strings.Contains(out, "BROKEN "+stream+" version 1") {
		t.Fatalf("verify after the rewrite: status %d\n%s", code, out)
	}
}
