package http

import (
	"time"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/projections/licenses"
)

type securityView struct {
	MFAEveryLogin            bool `json:"mfa_every_login"`
	MFAAfterInactivityDays   int  `json:"mfa_after_inactivity_days"`
	BlockAfterInactivityDays int  `json:"block_after_inactivity_days"`
	PasswordMaxAgeDays       int  `json:"password_max_age_days"`
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

func viewLicenses(s licenses.LicenseSummary, usage []licenses.DailyUsage) licensesView {
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

// memberAsOfView is a member as the event streams had it at a time.
type memberAsOfView struct {
	AccountID      uuid.UUID              `json:"account_id"`
	AsOf           time.Time              `json:"as_of"`
	Status         string                 `json:"status"`
	Role           string                 `json:"role,omitempty"`
	PreviousStatus string                 `json:"previous_status,omitempty"`
	Projects       map[uuid.UUID]string   `json:"projects"`
	Visas          map[uuid.UUID]visaAsOf `json:"visas"`
	Clients        []uuid.UUID            `json:"clients"`
	Grant          []string               `json:"grant"`
	Deny           []string               `json:"deny"`
	Scopes         map[string]string      `json:"scopes"`
	Security       securityView           `json:"security"`
	Contract       contractView           `json:"contract"`
}

// contractView is a member's contract and convention information; empty strings when
// never set.
type contractView struct {
	Reference  string `json:"reference"`
	EndsOn     string `json:"ends_on,omitempty" format:"date"`
	Convention string `json:"convention"`
}

type visaAsOf struct {
	VisaID     uuid.UUID  `json:"visa_id"`
	ValidUntil *time.Time `json:"valid_until,omitempty"`
}

func viewMemberAsOf(m app.MemberAt) memberAsOfView {
	a := m.Access
	grant, deny := a.Overrides()
	s := a.Security()
	v := memberAsOfView{AccountID: m.AccountID, AsOf: m.At, Status: string(m.Entry.Status), Role: string(m.Entry.Role),
		PreviousStatus: string(m.Entry.PreviousStatus), Projects: map[uuid.UUID]string{}, Visas: map[uuid.UUID]visaAsOf{},
		Clients: nonNil(a.Clients()), Grant: nonNil(grant), Deny: nonNil(deny), Scopes: map[string]string{},
		Security: securityView{s.MFAEveryLogin, s.MFAAfterInactivityDays, s.BlockAfterInactivityDays, s.PasswordMaxAgeDays},
		Contract: viewContract(a.Contract())}
	for id, role := range a.ProjectRoles() {
		v.Projects[id] = string(role)
	}
	for category, g := range a.Visas() {
		visa := visaAsOf{VisaID: g.VisaID}
		if !g.ValidUntil.IsZero() {
			until := g.ValidUntil
			visa.ValidUntil = &until
		}
		v.Visas[category] = visa
	}
	for scope, level := range a.Scopes() {
		v.Scopes[scope] = string(level)
	}
	return v
}

func viewContract(c domain.ContractInfo) contractView {
	return contractView{Reference: c.Reference, EndsOn: c.EndsOn, Convention: c.Convention}
}
