package domain

import "time"

// MaxSettingDays bounds every day count of the security settings (ten years).
const MaxSettingDays = 3650

// Limits on contract info, in runes.
const (
	MaxContractReference  = 100
	MaxContractConvention = 200
)

// SetSecuritySettings replaces the member's login rules; a day count of 0 turns its rule off.
type SetSecuritySettings struct {
	MFAEveryLogin            bool
	MFAAfterInactivityDays   int
	BlockAfterInactivityDays int
	PasswordMaxAgeDays       int
}

func (c SetSecuritySettings) validate() error {
	var v validator
	v.days("mfa_after_inactivity_days", c.MFAAfterInactivityDays)
	v.days("block_after_inactivity_days", c.BlockAfterInactivityDays)
	v.days("password_max_age_days", c.PasswordMaxAgeDays)
	return v.err()
}

// SetSecuritySettings replaces the settings; admins and above. The same settings again
// change nothing.
func (m *MemberAccess) SetSecuritySettings(ws *Workspace, by Actor, cmd SetSecuritySettings, now time.Time) ([]Event, error) {
	if err := cmd.validate(); err != nil {
		return nil, err
	}
	if err := m.authorize(ws, by, "set security settings"); err != nil {
		return nil, err
	}
	if SecuritySettings(cmd) == m.security {
		return nil, nil
	}
	return []Event{SecuritySettingsSet{
		WorkspaceID:              m.workspaceID,
		AccountID:                m.accountID,
		MFAEveryLogin:            cmd.MFAEveryLogin,
		MFAAfterInactivityDays:   cmd.MFAAfterInactivityDays,
		BlockAfterInactivityDays: cmd.BlockAfterInactivityDays,
		PasswordMaxAgeDays:       cmd.PasswordMaxAgeDays,
	}}, nil
}

// SetContractInfo replaces the member's contract reference, end date and convention.
type SetContractInfo struct {
	Reference  string
	EndsOn     string // DateLayout, or empty for an open-ended contract
	Convention string
}

func (c SetContractInfo) validate() error {
	var v validator
	v.text("reference", c.Reference, MaxContractReference)
	v.date("ends_on", c.EndsOn)
	v.text("convention", c.Convention, MaxContractConvention)
	return v.err()
}

// SetContractInfo replaces the contract info; admins and above. An end date in the past is
// allowed: it records a contract that already ended.
func (m *MemberAccess) SetContractInfo(ws *Workspace, by Actor, cmd SetContractInfo, now time.Time) ([]Event, error) {
	if err := cmd.validate(); err != nil {
		return nil, err
	}
	if err := m.authorize(ws, by, "set contract info"); err != nil {
		return nil, err
	}
	if ContractInfo(cmd) == m.contract {
		return nil, nil
	}
	return []Event{ContractInfoSet{WorkspaceID: m.workspaceID, AccountID: m.accountID, Reference: cmd.Reference, EndsOn: cmd.EndsOn, Convention: cmd.Convention}}, nil
}
