package kurrentdb

import (
	"os"
	"testing"

	"github.com/google/uuid"

	"accessledger/eventstore"
	"accessledger/eventstore/storetest"
)

// EnvURL names the variable with the connection string of the KurrentDB server that
// the conformance suite runs against.
const EnvURL = "KURRENTDB_URL"

// TestConformance runs the store conformance suite against a KurrentDB server, each test
// in a namespace of its own. Without a server it is skipped, saying how to run it.
func TestConformance(t *testing.T) {
	url := os.Getenv(EnvURL)
	if url == "" {
		t.Skip("no KurrentDB server: set " + EnvURL + " to run the conformance suite against one, e.g. " +
			"docker compose --profile kurrentdb up -d kurrentdb && " + EnvURL + "='kurrentdb://localhost:2113?tls=false' go test ./eventstore/kurrentdb")
	}
	storetest.Run(t, storetest.Harness{
		IDsUniquePerStream: true,
		NewStore: func(t *testing.T) eventstore.Store {
			s, err := Open(url, Options{Namespace: "test-" + uuid.NewString() + "-"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		},
	})
}
