package kurrentdb

import (
	"os"
	"testing"

	"github.com/google/uuid"

	"accessledger/eventstore"
	"accessledger/eventstore/kurrentdb/kurrentdbtest"
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
	storetest.Run(t, harness(url))
}

// TestConformanceAgainstAModelServer runs the conformance suite through the client and
// gRPC against kurrentdbtest's model of the server: it runs every line of the backend,
// and checks it against what the server is documented to do.
func TestConformanceAgainstAModelServer(t *testing.T) {
	server := kurrentdbtest.Start(t)
	h := harness(server.URL())
	h.Tamper = func(t *testing.T, s eventstore.Store, stream string, version int64) {
		if err := server.Rewrite(s.(*Store).stored(stream), revision(version), []byte(`{"tampered":true}`)); err != nil {
			t.Fatal(err)
		}
	}
	storetest.Run(t, h)
}

// harness gives each conformance test a store in a namespace of its own on the server
// of url, as a store on a shared server is.
func harness(url string) storetest.Harness {
	return storetest.Harness{
		IDsUniquePerStream: true,
		NewStore: func(t *testing.T) eventstore.Store {
			s, err := Open(url, Options{Namespace: "test-" + uuid.NewString() + "-"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		},
	}
}
