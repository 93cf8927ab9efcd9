package domain

import (
	"slices"
	"testing"

	"github.com/google/uuid"
)

var registered = AccountRegistered{AccountID: targetID, Email: "ada@example.org", Login: "ada", FirstName: "Ada", LastName: "Lovelace", Phone: "+441234567"}

func account(events ...Event) *Account {
	a := new(Account)
	for _, e := range events {
		a.Apply(e)
	}
	return a
}

func TestRegisterAccount(t *testing.T) {
	cmd := RegisterAccount{AccountID: targetID, Email: "  Ada@Example.ORG ", Login: "Ada", FirstName: "Ada", LastName: "Lovelace", Phone: "+441234567"}
	got, err := account().RegisterAccount(cmd)
	expect(t, got, err, []Event{registered}, "")

	got, err = account().RegisterAccount(RegisterAccount{AccountID: targetID, Email: "ada@example.org", FirstName: "Ada", LastName: "Lovelace"})
	expect(t, got, err, []Event{AccountRegistered{AccountID: targetID, Email: "ada@example.org", FirstName: "Ada", LastName: "Lovelace"}}, "")

	got, err = account(registered).RegisterAccount(cmd)
	expect(t, got, err, nil, CodeAlreadyExists)
}

func TestRegisterAccountListsEveryBadField(t *testing.T) {
	_, err := account().RegisterAccount(RegisterAccount{Email: "Ada <ada@example.org>", Login: "a", FirstName: "", LastName: "\t", Phone: "0123"})
	want := []string{"account_id", "email", "login", "first_name", "last_name", "phone"}
	if got := fieldsOf(err); !slices.Equal(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
}

func TestChangeProfileAndEmail(t *testing.T) {
	shared := []*Workspace{replayWorkspace(slices.Concat(staff(), joined(targetID, RoleMember)))}
	profile := ChangeProfile{FirstName: "Augusta Ada", LastName: "King", Phone: ""}
	changed := []Event{ProfileChanged{AccountID: targetID, FirstName: "Augusta Ada", LastName: "King"}}
	cases := []struct {
		name   string
		by     Actor
		shared []*Workspace
		err    string
	}{
		{"by the account itself", byTarget, nil, ""},
		{"by a platform admin", byPlatformAdmin, nil, ""},
		{"by an admin of a shared workspace", byAdmin, shared, ""},
		{"by the owner of a shared workspace", byOwner, shared, ""},
		{"by a manager of a shared workspace", actorOf(managerID), shared, CodeForbidden},
		{"by an admin of an unrelated workspace", byAdmin, []*Workspace{replayWorkspace(staff())}, CodeForbidden},
		{"by the system", bySystem, shared, CodeForbidden},
		{"by a stranger", actorOf(outsiderID), shared, CodeForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := account(registered).ChangeProfile(c.by, profile, c.shared)
			expect(t, got, err, changed, c.err)
			got, err = account(registered).ChangeEmail(c.by, ChangeEmail{Email: "Ada.King@example.org"}, c.shared)
			expect(t, got, err, []Event{EmailChanged{AccountID: targetID, OldEmail: "ada@example.org", NewEmail: "ada.king@example.org"}}, c.err)
		})
	}
}

func TestChangeProfileEdges(t *testing.T) {
	got, err := account(registered).ChangeProfile(byTarget, ChangeProfile{FirstName: "Ada", LastName: "Lovelace", Phone: "+441234567"}, nil)
	expect(t, got, err, nil, "")
	got, err = account(registered).ChangeEmail(byTarget, ChangeEmail{Email: "ADA@example.org"}, nil)
	expect(t, got, err, nil, "")
	got, err = account().ChangeProfile(byPlatformAdmin, ChangeProfile{FirstName: "A", LastName: "B"}, nil)
	expect(t, got, err, nil, CodeNotFound)
	got, err = account(registered).ChangeEmail(byTarget, ChangeEmail{Email: "not an address"}, nil)
	expect(t, got, err, nil, CodeValidationFailed)
	a := account(registered, ProfileChanged{AccountID: targetID, FirstName: "A", LastName: "K"}, EmailChanged{AccountID: targetID, OldEmail: "ada@example.org", NewEmail: "ak@example.org"})
	if a.Profile() != (Profile{FirstName: "A", LastName: "K"}) || a.Email() != "ak@example.org" || a.Login() != "ada" || a.ID() != targetID || !a.Registered() {
		t.Fatalf("account folded to %+v", a)
	}
}

func TestMayManageAccount(t *testing.T) {
	owned := replayWorkspace(staff()) // the owner is a member here
	withDeleted := replayWorkspace(slices.Concat(staff(), inStatus(targetID, StatusDeleted)))
	cases := []struct {
		name    string
		by      Actor
		account uuid.UUID
		shared  []*Workspace
		want    bool
	}{
		{"an admin manages another admin", byAdmin, admin2ID, []*Workspace{owned}, true},
		{"an admin does not manage the owner", byAdmin, ownerID, []*Workspace{owned}, false},
		{"the owner manages an admin", byOwner, adminID, []*Workspace{owned}, true},
		{"a suspended admin manages nobody", actorOf(suspendedAdminID), memberID, []*Workspace{owned}, false},
		{"a deleted member stays readable (its changes are member_frozen)", byAdmin, targetID, []*Workspace{withDeleted}, true},
		{"one shared workspace is enough", byAdmin, memberID, []*Workspace{replayWorkspace(created(1)), owned}, true},
		{"no shared workspace", byAdmin, memberID, nil, false},
	}
	for _, c := range cases {
		if got := MayManageAccount(c.by, c.account, c.shared); got != c.want {
			t.Errorf("%s: got %v", c.name, got)
		}
	}
}
