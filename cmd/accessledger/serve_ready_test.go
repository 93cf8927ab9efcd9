package main

import (
	"context"
	nethttp "net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"accessledger/internal/pgtest"
)

// TestNotReadyUntilTheReadModelsAre: while a read model is not installed yet, /readyz
// answers 503 not_ready and a query of that read model 503 not_ready with Retry-After,
// never 500; once it is installed, both answer 200. The install of the members read
// model is held back by taking, in another session, the lock that serializes it.
func TestNotReadyUntilTheReadModelsAre(t *testing.T) {
	url := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("EVENTSTORE_URL", "")
	release := holdInstall(t, url, "members")
	s := startServe(t, "--addr", "127.0.0.1:0")
	platform := &apiClient{t: t, base: s.url, token: platformToken(t), answers: newAnswerChecker(t, s.url)}
	base, owner, _ := newWorkspace(platform, "Early", 5, "owner@early.example")
	owner = owner.as(owner.token)
	owner.consistency = "" // a query without a consistency token does not wait

	probe := &apiClient{t: t, base: s.url} // /readyz is not part of the API's document
	resp, data := probe.try("GET", "/readyz", nil)
	if resp.StatusCode != nethttp.StatusServiceUnavailable || problemCode(t, data) != "not_ready" {
		t.Errorf("/readyz before the members read model is installed: %d %s, want 503 not_ready", resp.StatusCode, data)
	}
	resp, data = owner.try("GET", base+"/members", nil)
	if resp.StatusCode != nethttp.StatusServiceUnavailable || problemCode(t, data) != "not_ready" || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("members before the read model is installed: %d %s, Retry-After %q; want 503 not_ready, 1",
			resp.StatusCode, data, resp.Header.Get("Retry-After"))
	}

	release()
	waitReady(t, s.url)
	owner.call("GET", base+"/members", nil, nethttp.StatusOK, nil)
}

// holdInstall blocks the install of projection name (see ensureCheckpoint) until
// release is called, or the test ends.
func holdInstall(t *testing.T, url, name string) (release func()) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), "SELECT pg_advisory_lock(hashtext($1))", "projection:"+name); err != nil {
		t.Fatal(err)
	}
	release = func() { _ = conn.Close(context.Background()) }
	t.Cleanup(release)
	return release
}

// waitReady waits until GET /readyz answers 200, failing the test after a minute.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for getStatus(t, base+"/readyz") != nethttp.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not answer 200 within a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
