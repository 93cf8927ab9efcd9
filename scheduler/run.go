package scheduler

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/projections/due"
)

// commandSpace derives the scheduler's command ids.
var commandSpace = uuid.MustParse("6d1f4a3e-2b0c-4f5e-9a8d-7c6b5a4f3e2d")

// CommandID answers the id of the command that records item: the same for the same
// work falling due at the same instant, in every instance and every retry.
func CommandID(item due.DueItem) uuid.UUID {
	name := fmt.Sprintf("%s/%s/%s/%s/%s", item.Kind, item.WorkspaceID, item.AccountID, item.ItemID,
		item.DueAt.UTC().Format(time.RFC3339Nano))
	return uuid.NewSHA1(commandSpace, []byte(name))
}

// run records one item, decided at its due instant; it reports whether the item has
// events: appended now, or by an earlier run of the same command (the app answers that
// run's result). False: something else ended the item first, and the read model lags.
func (s *Scheduler) run(ctx context.Context, item due.DueItem) (bool, error) {
	meta := app.Meta{CommandID: CommandID(item), Actor: domain.SystemActor(), Reason: "scheduled: " + item.Kind}
	s.clock.set(item.DueAt)
	defer s.clock.set(time.Time{})
	var res app.Result
	var err error
	switch item.Kind {
	case due.DueVisaExpiry:
		res, err = s.cmds.ExpireVisas(ctx, meta, item.WorkspaceID, item.AccountID)
	case due.DueInvitationExpiry:
		res, err = s.cmds.ExpireInvitation(ctx, meta, item.WorkspaceID, domain.ExpireInvitation{AccountID: item.AccountID})
	case due.DueMemberPurge:
		res, err = s.cmds.PurgeMember(ctx, meta, item.WorkspaceID, domain.PurgeMember{AccountID: item.AccountID})
	case due.DueWorkspacePurge:
		res, err = s.cmds.PurgeWorkspace(ctx, meta, item.WorkspaceID)
	default:
		return false, fmt.Errorf("unknown kind of due work %q", item.Kind)
	}
	return !res.Position.IsZero(), err
}

// decisionClock is the clock of the scheduler's commands: the due instant of the item
// being recorded, or the scheduler's time between items.
type decisionClock struct {
	mu  sync.Mutex
	at  time.Time
	now func() time.Time
}

// Now answers the instant decisions are made at.
func (c *decisionClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at.IsZero() {
		return c.now()
	}
	return c.at
}

func (c *decisionClock) set(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = at
}
