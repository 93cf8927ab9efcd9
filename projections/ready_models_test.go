package projections_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"accessledger/internal/pgerr/pgerrtest"
	"accessledger/projections"
	"accessledger/projections/access"
	"accessledger/projections/members"
)

// TestReadModelQueriesBeforeInstallAndInAnOutage: a query of a read model that is not
// installed yet is ErrNotReady, and one the database cannot answer is ErrUnavailable, as
// is the readiness check then.
func TestReadModelQueriesBeforeInstallAndInAnOutage(t *testing.T) {
	t.Parallel()
	r := projections.NewRigForTest(t)
	ctx := context.Background()
	if _, err := members.ListMembers(ctx, r.Pool, uuid.New(), members.MemberFilter{}); !errors.Is(err, projections.ErrNotReady) {
		t.Errorf("members before the read model is installed: %v, want ErrNotReady", err)
	}
	if _, err := access.CheckAccess(ctx, r.Pool, uuid.New(), uuid.New(), "feature:reports", time.Now()); !errors.Is(err, projections.ErrNotReady) {
		t.Errorf("access check before the read model is installed: %v, want ErrNotReady", err)
	}

	proxy, url := pgerrtest.Start(t, r.URL)
	through := projections.OpenRigForTest(t, url)
	rt := projections.NewRuntime(through.Pool, through.Store, []projections.Projection{members.Members{}}, projections.Options{})
	proxy.StartingUp()
	if _, err := members.ListMembers(ctx, through.Pool, uuid.New(), members.MemberFilter{}); !errors.Is(err, projections.ErrUnavailable) {
		t.Errorf("members while the database starts up: %v, want ErrUnavailable", err)
	}
	if _, err := projections.Failed(ctx, through.Pool); !errors.Is(err, projections.ErrUnavailable) {
		t.Errorf("failed projections while the database starts up: %v, want ErrUnavailable", err)
	}
	if err := rt.Ready(ctx); !errors.Is(err, projections.ErrUnavailable) {
		t.Errorf("Ready while the database starts up: %v, want ErrUnavailable", err)
	}
}
