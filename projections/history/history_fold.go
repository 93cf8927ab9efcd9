package history

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections"
	"accessledger/projections/roster"
)

// factKey names a fact of a member or a workspace.
type factKey struct{ kind, key string }

// fact is one interval of a fact, stored (id > 0) or new in the batch (id 0).
type fact struct {
	id     int64
	member roster.Member // account uuid.Nil for a workspace fact
	factKey
	value       string
	validUntil  *time.Time
	validFrom   time.Time
	validTo     *time.Time
	setBy       string
	setReason   string
	setEvent    uuid.UUID
	endedBy     string
	endedReason string
	endedEvent  uuid.UUID
}

// change is one row of history_changes.
type change struct {
	member        roster.Member
	seq           int64
	at            time.Time
	kind, key     string
	before, after *string
	validUntil    *time.Time
	actor, reason string
	event         uuid.UUID
	eventType     string
}

// member is what the fold knows of a member: its current facts and last change.
type member struct {
	open map[factKey]*fact
	seq  int64
}

// fold is a batch folded in memory: the facts it opens (inserted at the end, ended
// or not), the stored facts it ends (updated at the end) and the changes it records.
type fold struct {
	members    map[roster.Member]*member
	workspaces map[uuid.UUID]map[factKey]*fact
	opened     []*fact
	ended      []*fact
	changes    []change
	env        *projections.Envelope // the event being folded
}

func (f *fold) member(m roster.Member) *member {
	s, ok := f.members[m]
	if !ok {
		s = &member{open: map[factKey]*fact{}}
		f.members[m] = s
	}
	return s
}

func (f *fold) workspace(ws uuid.UUID) map[factKey]*fact {
	open, ok := f.workspaces[ws]
	if !ok {
		open = map[factKey]*fact{}
		f.workspaces[ws] = open
	}
	return open
}

// reason answers why the current event happened: the actor's stated reason, else the
// reason a suspension gives.
func (f *fold) reason() string {
	if r := f.env.Metadata.Reason; r != "" {
		return r
	}
	if s, ok := f.env.Payload.(domain.MemberSuspended); ok {
		return s.Reason
	}
	return ""
}

// open starts a fact at the current event, ending the one it replaces. Setting the
// current value again changes nothing.
func (f *fold) open(open map[factKey]*fact, m roster.Member, k factKey, value string, until *time.Time) (before *fact, changed bool) {
	cur := open[k]
	if cur != nil && cur.value == value && sameTime(cur.validUntil, until) {
		return nil, false
	}
	if cur != nil {
		f.end(open, k)
	}
	fact := &fact{member: m, factKey: k, value: value, validUntil: until, validFrom: roster.Time(f.env),
		setBy: roster.Actor(f.env), setReason: f.reason(), setEvent: f.env.ID}
	open[k] = fact
	f.opened = append(f.opened, fact)
	return cur, true
}

// end closes a current fact at the current event; a visa whose valid_until came first
// keeps that end (a late expiry event does not move it).
func (f *fold) end(open map[factKey]*fact, k factKey) *fact {
	cur := open[k]
	if cur == nil {
		return nil
	}
	delete(open, k)
	to := roster.Time(f.env)
	if cur.validUntil != nil && cur.validUntil.Before(to) {
		to = *cur.validUntil
	}
	if to.Before(cur.validFrom) {
		to = cur.validFrom // an event decided before the fact began (another stream): never a negative interval
	}
	cur.validTo = &to
	cur.endedBy, cur.endedReason, cur.endedEvent = roster.Actor(f.env), f.reason(), f.env.ID
	if cur.id > 0 {
		f.ended = append(f.ended, cur)
	}
	return cur
}

// set makes a member fact hold value from now on, recording the change.
func (f *fold) set(m roster.Member, kind, key, value string, until *time.Time) {
	s := f.member(m)
	before, changed := f.open(s.open, m, factKey{kind, key}, value, until)
	if changed {
		f.record(m, kind, key, valueOf(before), &value, until)
	}
}

// unset ends a member fact, recording the change.
func (f *fold) unset(m roster.Member, kind, key string) {
	if before := f.end(f.member(m).open, factKey{kind, key}); before != nil {
		f.record(m, kind, key, valueOf(before), nil, nil)
	}
}

func (f *fold) record(m roster.Member, kind, key string, before, after *string, until *time.Time) {
	s := f.member(m)
	s.seq++
	f.changes = append(f.changes, change{member: m, seq: s.seq, at: roster.Time(f.env), kind: kind, key: key,
		before: before, after: after, validUntil: until, actor: roster.Actor(f.env), reason: f.reason(),
		event: f.env.ID, eventType: f.env.Type})
}

// replace makes the facts of one kind exactly want (key -> value): ends the others, sets
// these, in key order so that changes are recorded in the same order whatever the batch.
func (f *fold) replace(m roster.Member, kind string, want map[string]string) {
	s := f.member(m)
	var current []string
	for k := range s.open {
		if k.kind == kind {
			current = append(current, k.key)
		}
	}
	slices.Sort(current)
	for _, key := range current {
		if _, keep := want[key]; !keep {
			f.unset(m, kind, key)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(want)) {
		f.set(m, kind, key, want[key], nil)
	}
}

// clear ends every grant of a member (not its roster facts), in (kind, key) order.
func (f *fold) clear(m roster.Member) {
	s := f.member(m)
	var keys []factKey
	for k := range s.open {
		switch k.kind {
		case HistoryKindStatus, HistoryKindLicense, HistoryKindRole:
		default:
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b factKey) int {
		return strings.Compare(a.kind+"\x00"+a.key, b.kind+"\x00"+b.key)
	})
	for _, k := range keys {
		f.unset(m, k.kind, k.key)
	}
}

// entry answers a member's roster entry from its current facts.
func (f *fold) entry(m roster.Member) roster.Entry {
	s := f.member(m)
	var e roster.Entry
	if fact := s.open[factKey{HistoryKindStatus, ""}]; fact != nil {
		e.Status = domain.MemberStatus(fact.value)
	}
	if fact := s.open[factKey{HistoryKindRole, ""}]; fact != nil {
		e.Role = domain.WorkspaceRole(fact.value)
	}
	return e
}

func valueOf(f *fact) *string {
	if f == nil {
		return nil
	}
	v := f.value
	return &v
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}
