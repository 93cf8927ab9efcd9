package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/eventstore"
)

// MemberAt is a member as the event streams had it at a time: what an auditor asks when
// they want the record itself, not a read model's reading of it.
type MemberAt struct {
	AccountID uuid.UUID
	At        time.Time
	// OnRoster is false when the account was not a member at At; Entry is then zero.
	OnRoster bool
	Entry    domain.RosterEntry
	Access   *domain.MemberAccess
}

// MemberAsOf folds the workspace's stream and the member's access stream up to the
// events that occurred at or before t. It does not authorize: see Authorize.
func (s *Service) MemberAsOf(ctx context.Context, ws, account uuid.UUID, t time.Time) (MemberAt, error) {
	w := &domain.Workspace{}
	if err := s.foldUntil(ctx, domain.WorkspaceStream(ws), w, t); err != nil {
		return MemberAt{}, err
	}
	if !w.Exists() {
		return MemberAt{}, domain.NotFound("workspace not found")
	}
	access := domain.NewMemberAccess(ws, account)
	if err := s.foldUntil(ctx, domain.MemberStream(ws, account), access, t); err != nil {
		return MemberAt{}, err
	}
	entry, ok := w.Member(account)
	on := ok && entry.Status != domain.StatusPurged && entry.Status != ""
	return MemberAt{AccountID: account, At: t, OnRoster: on, Entry: entry, Access: access}, nil
}

// foldUntil applies to state the events of stream that occurred at or before t. A
// stream's events occur in the order of its versions, so the read stops at the first
// later one.
func (s *Service) foldUntil(ctx context.Context, stream string, state aggregate, t time.Time) error {
	for from := int64(1); ; {
		events, err := s.store.ReadStream(ctx, stream, eventstore.ReadStreamOptions{From: from, Limit: readPage})
		if errors.Is(err, eventstore.ErrStreamNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("fold as of %s: %w", t.Format(time.RFC3339), err) // err names the stream
		}
		for i := range events {
			if events[i].Metadata.OccurredAt.After(t) {
				return nil
			}
			ev, err := domain.DecodeEvent(events[i].Type, events[i].Data)
			if err != nil {
				return fmt.Errorf("%s version %d: %w", stream, events[i].Version, err)
			}
			state.Apply(ev)
		}
		if len(events) < readPage {
			return nil
		}
		from = events[len(events)-1].Version + 1
	}
}
