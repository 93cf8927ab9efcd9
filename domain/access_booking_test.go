package domain

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

func grant(cmd GrantVisa) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
	return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
		return m.GrantVisa(ws, by, cmd, now)
	}
}

func TestGrantVisa(t *testing.T) {
	world := accessWorld()
	until := t0.Add(90 * day)
	visa2ID := named("visa 2")
	runAccess(t, []accessCase{
		{name: "open-ended", roster: world, by: byAdmin, when: grant(GrantVisa{CategoryID: categoryID, VisaID: visaID}),
			then: granted(nil)},
		{name: "until a date", roster: world, by: byAdmin, when: grant(GrantVisa{CategoryID: categoryID, VisaID: visaID, ValidUntil: &until}),
			then: granted(&until)},
		{name: "the same grant changes nothing", roster: world, given: granted(&until), by: byAdmin,
			when: grant(GrantVisa{CategoryID: categoryID, VisaID: visaID, ValidUntil: new(until.In(time.FixedZone("X", 3600)))})},
		{name: "another visa replaces the grant", roster: slices.Concat(world, []Event{VisaDefined{VisaID: visa2ID, Name: "Supervised"}}), given: granted(nil), by: byAdmin,
			when: grant(GrantVisa{CategoryID: categoryID, VisaID: visa2ID}),
			then: []Event{VisaGranted{WorkspaceID: wsID, AccountID: targetID, CategoryID: categoryID, VisaID: visa2ID}}},
		{name: "until the past", roster: world, by: byAdmin, when: grant(GrantVisa{CategoryID: categoryID, VisaID: visaID, ValidUntil: new(now.Add(-time.Second))}), err: CodeValidationFailed},
		{name: "with the booking module disabled", roster: slices.Concat(world, []Event{ModuleSet{Module: ModuleBooking, MinRole: RoleMember}}), by: byAdmin,
			when: grant(GrantVisa{CategoryID: categoryID, VisaID: visaID}), err: CodeModuleDisabled},
		{name: "with the booking module never enabled", roster: slices.Concat(created(5), joined(adminID, RoleAdmin), joined(targetID, RoleMember)), by: byAdmin,
			when: grant(GrantVisa{CategoryID: categoryID, VisaID: visaID}), err: CodeModuleDisabled},
		{name: "on a retired category", roster: slices.Concat(world, []Event{BookingCategoryRetired{CategoryID: categoryID}}), by: byAdmin,
			when: grant(GrantVisa{CategoryID: categoryID, VisaID: visaID}), err: CodeValidationFailed},
		{name: "with a retired visa", roster: slices.Concat(world, []Event{VisaRetired{VisaID: visaID}}), by: byAdmin,
			when: grant(GrantVisa{CategoryID: categoryID, VisaID: visaID}), err: CodeValidationFailed},
		{name: "by the project admin", roster: world, by: byProjectAdmin, when: grant(GrantVisa{CategoryID: categoryID, VisaID: visaID}), err: CodeForbidden},
	})
}

func TestGrantVisaNamesEveryUnusableReference(t *testing.T) {
	ws := replayWorkspace(slices.Concat(accessWorld(), []Event{BookingCategoryRetired{CategoryID: categoryID}}))
	_, err := NewMemberAccess(wsID, targetID).GrantVisa(ws, byAdmin, GrantVisa{CategoryID: categoryID, VisaID: named("unknown visa")}, now)
	if got := fieldsOf(err); !slices.Equal(got, []string{"category_id", "visa_id"}) {
		t.Fatalf("fields %v (%v)", got, err)
	}
}

func TestRevokeVisa(t *testing.T) {
	revoke := func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
		return m.RevokeVisa(ws, by, RevokeVisa{CategoryID: categoryID}, now)
	}
	runAccess(t, []accessCase{
		{name: "revoked", roster: accessWorld(), given: granted(nil), by: byAdmin, when: revoke,
			then: []Event{VisaRevoked{WorkspaceID: wsID, AccountID: targetID, CategoryID: categoryID}}},
		{name: "revoked with the booking module disabled", roster: slices.Concat(accessWorld(), []Event{ModuleSet{Module: ModuleBooking, MinRole: RoleMember}}),
			given: granted(nil), by: byAdmin, when: revoke, then: []Event{VisaRevoked{WorkspaceID: wsID, AccountID: targetID, CategoryID: categoryID}}},
		{name: "no grant changes nothing", roster: accessWorld(), by: byAdmin, when: revoke},
	})
}

func TestExpireVisas(t *testing.T) {
	soon, later := t0.Add(day), t0.Add(10*day)
	category2ID, category3ID := named("category 2"), named("category 3")
	grants := []Event{
		VisaGranted{WorkspaceID: wsID, AccountID: targetID, CategoryID: categoryID, VisaID: visaID, ValidUntil: &soon},
		VisaGranted{WorkspaceID: wsID, AccountID: targetID, CategoryID: category2ID, VisaID: visaID, ValidUntil: &later},
		VisaGranted{WorkspaceID: wsID, AccountID: targetID, CategoryID: category3ID, VisaID: visaID},
	}
	expire := func(m *MemberAccess, _ *Workspace, by Actor, now time.Time) ([]Event, error) {
		return m.ExpireVisas(by, now)
	}
	expired := func(ids ...uuid.UUID) []Event {
		var events []Event
		for _, id := range slices.SortedFunc(slices.Values(ids), compareUUID) {
			events = append(events, VisaExpired{WorkspaceID: wsID, AccountID: targetID, CategoryID: id})
		}
		return events
	}
	runAccess(t, []accessCase{
		{name: "nothing due", given: grants, by: bySystem, at: soon.Add(-time.Second), when: expire},
		{name: "the first at its end", given: grants, by: bySystem, at: soon, when: expire, then: expired(categoryID)},
		{name: "both dated ones later", given: grants, by: bySystem, at: later.Add(day), when: expire, then: expired(categoryID, category2ID)},
		{name: "after a revocation", given: slices.Concat(grants, []Event{VisaRevoked{WorkspaceID: wsID, AccountID: targetID, CategoryID: categoryID}}),
			by: bySystem, at: later, when: expire, then: expired(category2ID)},
		{name: "twice", given: slices.Concat(grants, expired(categoryID)), by: bySystem, at: soon, when: expire},
		{name: "of a frozen member", roster: slices.Concat(staff(), inStatus(targetID, StatusDeactivated)), given: grants, by: bySystem, at: soon, when: expire, then: expired(categoryID)},
		{name: "by an admin", given: grants, by: byAdmin, at: later, when: expire, err: CodeForbidden},
	})
}

func TestMayBook(t *testing.T) {
	until := t0.Add(day)
	world := accessWorld()
	cases := []struct {
		name   string
		roster []Event
		access []Event
		at     time.Time
		want   bool
	}{
		{"granted", world, granted(nil), now, true},
		{"before the end", world, granted(&until), until.Add(-time.Second), true},
		{"at the end", world, granted(&until), until, false},
		{"no grant", world, nil, now, false},
		{"suspended", slices.Concat(world, suspended(targetID)), granted(nil), now, false},
		{"module disabled", slices.Concat(world, []Event{ModuleSet{Module: ModuleBooking, MinRole: RoleMember}}), granted(nil), now, false},
		{"category retired", slices.Concat(world, []Event{BookingCategoryRetired{CategoryID: categoryID}}), granted(nil), now, false},
		{"visa retired", slices.Concat(world, []Event{VisaRetired{VisaID: visaID}}), granted(nil), now, false},
	}
	for _, c := range cases {
		if got := replayAccess(targetID, c.access).MayBook(replayWorkspace(c.roster), categoryID, c.at); got != c.want {
			t.Errorf("%s: MayBook = %v", c.name, got)
		}
	}
}

func TestVisaGrantsFold(t *testing.T) {
	until := t0.Add(day)
	m := replayAccess(targetID, slices.Concat(granted(&until), []Event{VisaExpired{WorkspaceID: wsID, AccountID: targetID, CategoryID: categoryID}}))
	if _, ok := m.Visa(categoryID); ok {
		t.Fatal("an expired grant is still held")
	}
	m = replayAccess(targetID, granted(&until))
	if g, ok := m.Visa(categoryID); !ok || g.VisaID != visaID || !g.ValidUntil.Equal(until) || !g.ValidAt(now) || g.ValidAt(until) {
		t.Fatalf("grant %+v, %v", g, ok)
	}
}
