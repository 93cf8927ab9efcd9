package http

import (
	"time"

	"github.com/google/uuid"

	"accessledger/projections"
)

// accessAtView is what a member could do at a time, from the authorization history.
type accessAtView struct {
	AccountID uuid.UUID               `json:"account_id"`
	AsOf      time.Time               `json:"as_of"`
	Status    string                  `json:"status"`
	Role      string                  `json:"role,omitempty"`
	HoldsSeat bool                    `json:"holds_seat"`
	Projects  map[uuid.UUID]projectAt `json:"projects"`
	Visas     map[uuid.UUID]visaAt    `json:"visas"`
	Clients   []uuid.UUID             `json:"clients"`
	Grant     []string                `json:"grant"`
	Deny      []string                `json:"deny"`
	Scopes    map[string]string       `json:"scopes"`
	Security  *securityView           `json:"security,omitempty"`
	Modules   map[string]string       `json:"modules"`
}

type projectAt struct {
	Role     string `json:"role"`
	Archived bool   `json:"archived"`
}

type visaAt struct {
	VisaID     uuid.UUID  `json:"visa_id"`
	ValidUntil *time.Time `json:"valid_until,omitempty"`
	Bookable   bool       `json:"bookable"`
}

type securityView struct {
	MFAEveryLogin            bool `json:"mfa_every_login"`
	MFAAfterInactivityDays   int  `json:"mfa_after_inactivity_days"`
	BlockAfterInactivityDays int  `json:"block_after_inactivity_days"`
	PasswordMaxAgeDays       int  `json:"password_max_age_days"`
}

func viewAccessAt(at projections.MemberAccessAt) accessAtView {
	v := accessAtView{AccountID: at.AccountID, AsOf: at.At, Status: string(at.Status), Role: string(at.Role), HoldsSeat: at.HoldsSeat,
		Projects: map[uuid.UUID]projectAt{}, Visas: map[uuid.UUID]visaAt{}, Clients: nonNil(at.Clients),
		Grant: nonNil(at.Grant), Deny: nonNil(at.Deny), Scopes: map[string]string{}, Modules: map[string]string{}}
	for id, p := range at.Projects {
		v.Projects[id] = projectAt{Role: string(p.Role), Archived: p.Archived}
	}
	for id, g := range at.Visas {
		v.Visas[id] = visaAt{VisaID: g.VisaID, ValidUntil: g.ValidUntil, Bookable: g.Bookable}
	}
	for s, l := range at.Scopes {
		v.Scopes[s] = string(l)
	}
	for m, role := range at.Modules {
		v.Modules[m] = string(role)
	}
	if s := at.Security; s != nil {
		v.Security = &securityView{s.MFAEveryLogin, s.MFAAfterInactivityDays, s.BlockAfterInactivityDays, s.PasswordMaxAgeDays}
	}
	return v
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type licensesView struct {
	Seats     int            `json:"seats"`
	Used      int            `json:"used"`
	Available int            `json:"available"`
	ByStatus  map[string]int `json:"used_by_status"`
	UpdatedAt time.Time      `json:"updated_at"`
	Usage     []dailyUsage   `json:"usage"`
}

type dailyUsage struct {
	Day       string `json:"day"` // YYYY-MM-DD, UTC
	SeatsUsed int    `json:"seats_used"`
	Seats     int    `json:"seats"`
}

func viewLicenses(s projections.LicenseSummary, usage []projections.DailyUsage) licensesView {
	v := licensesView{Seats: s.Seats, Used: s.Used, Available: s.Available, ByStatus: map[string]int{}, UpdatedAt: s.UpdatedAt, Usage: []dailyUsage{}}
	for status, n := range s.ByStatus {
		v.ByStatus[string(status)] = n
	}
	for _, d := range usage {
		v.Usage = append(v.Usage, dailyUsage{Day: d.Day.Format(time.DateOnly), SeatsUsed: d.SeatsUsed, Seats: d.Seats})
	}
	return v
}

// decisionView is the answer of an access check.
type decisionView struct {
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason"`
}
