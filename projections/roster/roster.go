package roster

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
)

// Member names one membership: an account in a workspace. The authorization read
// models (history, booking, clients, access) key their state by it; they also use it for
// a (workspace, catalog item) pair, which has the same shape.
type Member struct {
	WS, Account uuid.UUID
}

// Entry is a member's place on the roster as the authorization read models see it.
// The zero value means "not on the roster" (never invited, or revoked/rejected).
type Entry struct {
	Status domain.MemberStatus
	Role   domain.WorkspaceRole // empty while pending
}

// OnRoster reports whether the entry names a membership at all.
func (e Entry) OnRoster() bool { return e.Status != "" }

// Update is the entry one member has after a workspace-stream event.
type Update struct {
	Account uuid.UUID
	Entry   Entry
}

// StepRosterTypes answers the member events of the roster that Step folds: all but the
// resent invitation and the welcome email, which change no member's place.
func StepRosterTypes() []string {
	return projections.Without(domain.RosterEventTypes(), domain.TypeInvitationResent, domain.TypeWelcomeEmailSent)
}

// Step answers the roster entries an event changes, computed from the entries
// before it (cur), exactly as domain.Workspace.Apply folds them. Events that change no
// membership answer nothing.
func Step(e domain.Event, cur func(uuid.UUID) Entry) []Update {
	one := func(account uuid.UUID, entry Entry) []Update {
		return []Update{{Account: account, Entry: entry}}
	}
	withStatus := func(account uuid.UUID, s domain.MemberStatus) []Update {
		entry := cur(account)
		if !entry.OnRoster() {
			return nil // the domain ignores events about unknown members; so do we
		}
		entry.Status = s
		return one(account, entry)
	}
	switch e := e.(type) {
	case domain.WorkspaceCreated:
		return one(e.OwnerAccountID, Entry{Status: domain.StatusActive, Role: domain.RoleOwner})
	case domain.OwnershipTransferred:
		var out []Update
		if entry := cur(e.From); entry.OnRoster() {
			entry.Role = domain.RoleAdmin
			out = append(out, Update{Account: e.From, Entry: entry})
		}
		if entry := cur(e.To); entry.OnRoster() {
			entry.Role = domain.RoleOwner
			out = append(out, Update{Account: e.To, Entry: entry})
		}
		return out
	case domain.MemberInvited:
		return one(e.AccountID, Entry{Status: domain.StatusInvited, Role: e.Role})
	case domain.AccessRequested:
		return one(e.AccountID, Entry{Status: domain.StatusPending})
	case domain.InvitationRevoked:
		return one(e.AccountID, Entry{})
	case domain.InvitationExpired:
		return one(e.AccountID, Entry{})
	case domain.AccessRejected:
		return one(e.AccountID, Entry{})
	case domain.AccessApproved:
		return one(e.AccountID, Entry{Status: domain.StatusActive, Role: e.Role})
	case domain.RoleChanged:
		entry := cur(e.AccountID)
		entry.Role = e.To
		return one(e.AccountID, entry)
	case domain.InvitationAccepted:
		return withStatus(e.AccountID, domain.StatusActive)
	case domain.LicenseDeactivated:
		return withStatus(e.AccountID, domain.StatusDeactivated)
	case domain.LicenseReactivated:
		return withStatus(e.AccountID, domain.StatusActive)
	case domain.MemberSuspended:
		return withStatus(e.AccountID, domain.StatusSuspended)
	case domain.MemberReinstated:
		return withStatus(e.AccountID, domain.StatusActive)
	case domain.MemberDeleted:
		return withStatus(e.AccountID, domain.StatusDeleted)
	case domain.MemberRestored:
		return withStatus(e.AccountID, e.Status)
	case domain.MemberPurged:
		return withStatus(e.AccountID, domain.StatusPurged)
	}
	return nil
}

// AccessMember answers the membership a member-stream event is about; access events
// carry both ids.
func AccessMember(e domain.Event) (Member, bool) {
	if a, ok := e.(domain.AccessEvent); ok {
		ws, account := a.Member()
		return Member{ws, account}, true
	}
	return Member{}, false
}

// RoleRankSQL answers a SQL expression ranking the workspace role in column expr as
// domain.WorkspaceRole.Rank does, so that SQL compares roles exactly like the domain.
func RoleRankSQL(expr string) string {
	var b strings.Builder
	b.WriteString("(CASE " + expr)
	for _, r := range domain.WorkspaceRoles() {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", r, r.Rank())
	}
	b.WriteString(" ELSE 0 END)")
	return b.String()
}

// Actor answers who made an event: the metadata actor, "system" when empty.
func Actor(env *projections.Envelope) string {
	if env.Metadata.Actor == "" {
		return "system"
	}
	return env.Metadata.Actor
}

// Time answers when an event's change took effect, in UTC with the store's
// microsecond precision, so that in-memory comparisons agree with stored ones.
func Time(env *projections.Envelope) time.Time {
	return env.Metadata.OccurredAt.UTC().Truncate(time.Microsecond)
}

// UUIDs splits members into the two parallel arrays unnest takes.
func UUIDs(members []Member) (ws, accounts [][16]byte) {
	ws = make([][16]byte, len(members))
	accounts = make([][16]byte, len(members))
	for i, m := range members {
		ws[i], accounts[i] = m.WS, m.Account
	}
	return ws, accounts
}

// IDs answers ids as the [16]byte values pgx encodes directly. Every id sent to
// Postgres goes as [16]byte: a uuid.UUID goes through its driver.Valuer, a string that pgx
// parses back, which made id encoding the largest cost of a rebuild.
func IDs(ids []uuid.UUID) [][16]byte {
	out := make([][16]byte, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// Members answers the memberships the workspace-stream events of batch read or
// change, each once, so that their stored state can be prefetched with one query.
func Members(batch []projections.Envelope) []Member {
	seen := map[Member]bool{}
	var out []Member
	for i := range batch {
		ws, ok := batch[i].WorkspaceStream()
		if !ok {
			continue
		}
		add := func(account uuid.UUID) {
			if m := (Member{ws, account}); !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
		updates := Step(batch[i].Payload, func(account uuid.UUID) Entry {
			add(account)
			return Entry{}
		})
		for _, u := range updates {
			add(u.Account)
		}
	}
	return out
}

// UTC answers a copy of an optional time in UTC with microsecond precision.
func UTC(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// Keys answers the members of a set.
func Keys(set map[Member]bool) []Member {
	out := make([]Member, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	return out
}
