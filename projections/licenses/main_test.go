package licenses

import (
	"testing"

	"accessledger/internal/pgtest"
)

// TestMain runs the tests on the shared test cluster, a fresh database per test.
func TestMain(m *testing.M) { pgtest.Main(m) }
