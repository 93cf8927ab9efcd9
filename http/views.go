package http

import (
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections/activity"
	"accessledger/projections/history"
	"accessledger/projections/members"
)

// The API's representations of read model rows. They are the contract clients and the
// OpenAPI document rely on, so read model structs never leak into answers as they are.

type memberView struct {
	AccountID           uuid.UUID       `json:"account_id"`
	Status              string          `json:"status"`
	Role                string          `json:"role,omitempty"`
	PreviousStatus      string          `json:"previous_status,omitempty"`
	Email               string          `json:"email"`
	Login               string          `json:"login,omitempty"`
	FirstName           string          `json:"first_name"`
	LastName            string          `json:"last_name"`
	Phone               string          `json:"phone,omitempty"`
	InvitedAt           time.Time       `json:"invited_at"`
	JoinedAt            *time.Time      `json:"joined_at,omitempty"`
	StatusChangedAt     time.Time       `json:"status_changed_at"`
	DeletedAt           *time.Time      `json:"deleted_at,omitempty"`
	InvitationExpiresAt *time.Time      `json:"invitation_expires_at,omitempty"`
	SuspensionReason    string          `json:"suspension_reason,omitempty"`
	SuspendedUntil      *time.Time      `json:"suspended_until,omitempty"`
	WelcomeSent         bool            `json:"welcome_sent"`
	Projects            []projectView   `json:"projects"`
	Clients             []uuid.UUID     `json:"clients"`
	Visas               []memberVisaRow `json:"visas"`
	// The member detail alone shows these (the list leaves them out): everything else
	// the member may do now.
	Grant         *[]string            `json:"grant,omitempty"`
	Deny          *[]string            `json:"deny,omitempty"`
	Scopes        *map[string]string   `json:"scopes,omitempty"`
	SpendAccess   *string              `json:"spend_access,omitempty" enum:"full,accounts,custom_groups"`
	Security      *securityView        `json:"security,omitempty"`
	Contract      *contractView        `json:"contract,omitempty"`
	ProjectAccess *[]projectAccessView `json:"project_access,omitempty"`
}

// projectAccessView is a project the member may work on, and why: "explicit" for a
// project role given to the member, "role" for an admin's or the owner's.
type projectAccessView struct {
	ProjectID uuid.UUID `json:"project_id"`
	Role      string    `json:"role"`
	Source    string    `json:"source" enum:"explicit,role"`
}

// viewMemberDetail is viewMember with everything the member may do now.
func viewMemberDetail(d members.MemberDetail) memberView {
	v := viewMember(d.Member)
	grant, deny, scopes := nonNil(d.Grant), nonNil(d.Deny), map[string]string{}
	for scope, level := range d.Scopes {
		scopes[scope] = string(level)
	}
	s := d.Security
	security := securityView{s.MFAEveryLogin, s.MFAAfterInactivityDays, s.BlockAfterInactivityDays, s.PasswordMaxAgeDays}
	contract := viewContract(d.Contract)
	access := make([]projectAccessView, 0, len(d.ProjectAccess))
	for _, p := range d.ProjectAccess {
		access = append(access, projectAccessView{ProjectID: p.ProjectID, Role: string(p.Role), Source: p.Source})
	}
	spend := domain.SpendAccessOf(d.Scopes)
	v.Grant, v.Deny, v.Scopes, v.Security, v.Contract, v.ProjectAccess = &grant, &deny, &scopes, &security, &contract, &access
	v.SpendAccess = &spend
	return v
}

type projectView struct {
	ProjectID uuid.UUID `json:"project_id"`
	Role      string    `json:"role"`
}

type memberVisaRow struct {
	CategoryID uuid.UUID  `json:"category_id"`
	VisaID     uuid.UUID  `json:"visa_id"`
	ValidUntil *time.Time `json:"valid_until,omitempty"`
}

func viewMember(m members.Member) memberView {
	v := memberView{AccountID: m.AccountID, Status: string(m.Status), Role: string(m.Role), PreviousStatus: string(m.PreviousStatus),
		Email: m.Email, Login: m.Login, FirstName: m.FirstName, LastName: m.LastName, Phone: m.Phone,
		InvitedAt: m.InvitedAt, JoinedAt: m.JoinedAt, StatusChangedAt: m.StatusChangedAt, DeletedAt: m.DeletedAt,
		InvitationExpiresAt: m.InvitationExpiresAt, SuspensionReason: m.SuspensionReason, SuspendedUntil: m.SuspendedUntil,
		WelcomeSent: m.WelcomeSent, Projects: []projectView{}, Clients: m.Clients, Visas: []memberVisaRow{}}
	if v.Clients == nil {
		v.Clients = []uuid.UUID{}
	}
	for _, p := range m.Projects {
		v.Projects = append(v.Projects, projectView{ProjectID: p.ProjectID, Role: string(p.Role)})
	}
	for _, g := range m.Visas {
		v.Visas = append(v.Visas, memberVisaRow{CategoryID: g.CategoryID, VisaID: g.VisaID, ValidUntil: g.ValidUntil})
	}
	return v
}

type historyChangeView struct {
	At         time.Time  `json:"at"`
	Kind       string     `json:"kind"`
	Key        string     `json:"key,omitempty"`
	Before     *string    `json:"before"`
	After      *string    `json:"after"`
	ValidUntil *time.Time `json:"valid_until,omitempty"`
	Actor      string     `json:"actor"`
	Reason     string     `json:"reason"`
	EventID    uuid.UUID  `json:"event_id"`
	EventType  string     `json:"event_type"`
}

func viewHistoryChange(c history.HistoryChange) historyChangeView {
	return historyChangeView{At: c.At, Kind: c.Kind, Key: c.Key, Before: c.Before, After: c.After, ValidUntil: c.ValidUntil,
		Actor: c.Actor, Reason: c.Reason, EventID: c.EventID, EventType: c.EventType}
}

type activityView struct {
	Position   string     `json:"position"`
	At         time.Time  `json:"at"`
	Actor      string     `json:"actor"`
	ActorName  string     `json:"actor_name"`
	AccountID  *uuid.UUID `json:"account_id,omitempty"`
	MemberName string     `json:"member_name,omitempty"`
	Type       string     `json:"type"`
	Summary    string     `json:"summary"`
	Reason     string     `json:"reason"`
	EventID    uuid.UUID  `json:"event_id"`
	Stream     string     `json:"stream"`
	Version    int64      `json:"version"`
}

func viewActivity(e activity.ActivityEntry) activityView {
	v := activityView{Position: e.Position, At: e.At, Actor: e.Actor, ActorName: e.ActorName, MemberName: e.MemberName,
		Type: e.Type, Summary: e.Summary, Reason: e.Reason, EventID: e.EventID, Stream: e.Stream, Version: e.Version}
	if e.AccountID != uuid.Nil {
		id := e.AccountID
		v.AccountID = &id
	}
	return v
}

type bookerView struct {
	AccountID  uuid.UUID  `json:"account_id"`
	VisaID     uuid.UUID  `json:"visa_id"`
	ValidUntil *time.Time `json:"valid_until,omitempty"`
}

// page is a page of a list, with the cursor of the next one (empty on the last page).
type page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next_cursor,omitempty"`
}

func viewAll[S, T any](rows []S, view func(S) T) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = view(r)
	}
	return out
}
