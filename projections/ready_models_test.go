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
	"accessledger/projections/activity"
	"accessledger/projections/booking"
	"accessledger/projections/clients"
	"accessledger/projections/due"
	"accessledger/projections/history"
	"accessledger/projections/licenses"
	"accessledger/projections/members"
	"accessledger/projections/spend"
)

// readModels answers every read model, as serve runs them: the runtime tests and
// benchmarks of this package that run the real ones use it. (The list serve runs lives in
// package main, which tests cannot import.)
func readModels() []projections.Projection {
	return []projections.Projection{members.Members{}, licenses.Licenses{}, history.History{}, booking.Booking{},
		clients.ClientLinks{}, activity.Activity{}, access.AccessCheck{}, due.Due{}, spend.SpendScopes{}}
}

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
