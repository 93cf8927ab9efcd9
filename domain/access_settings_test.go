package domain

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSetSecuritySettings(t *testing.T) {
	set := func(cmd SetSecuritySettings) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
		return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.SetSecuritySettings(ws, by, cmd, now)
		}
	}
	strict := SetSecuritySettings{MFAEveryLogin: true, MFAAfterInactivityDays: 14, BlockAfterInactivityDays: 90, PasswordMaxAgeDays: MaxSettingDays}
	strictSet := []Event{SecuritySettingsSet{WorkspaceID: wsID, AccountID: targetID, MFAEveryLogin: true, MFAAfterInactivityDays: 14, BlockAfterInactivityDays: 90, PasswordMaxAgeDays: MaxSettingDays}}
	runAccess(t, []accessCase{
		{name: "set", roster: accessWorld(), by: byAdmin, when: set(strict), then: strictSet},
		{name: "the same settings change nothing", roster: accessWorld(), given: strictSet, by: byAdmin, when: set(strict)},
		{name: "defaults over nothing change nothing", roster: accessWorld(), by: byAdmin, when: set(SetSecuritySettings{})},
		{name: "ten years and a day", roster: accessWorld(), by: byAdmin, when: set(SetSecuritySettings{PasswordMaxAgeDays: MaxSettingDays + 1}), err: CodeValidationFailed},
	})
	_, err := NewMemberAccess(wsID, targetID).SetSecuritySettings(replayWorkspace(accessWorld()), byAdmin,
		SetSecuritySettings{MFAAfterInactivityDays: -1, BlockAfterInactivityDays: -1, PasswordMaxAgeDays: -1}, now)
	if got := fieldsOf(err); !slices.Equal(got, []string{"mfa_after_inactivity_days", "block_after_inactivity_days", "password_max_age_days"}) {
		t.Fatalf("fields %v", got)
	}
}

func TestSetContractInfo(t *testing.T) {
	set := func(cmd SetContractInfo) func(*MemberAccess, *Workspace, Actor, time.Time) ([]Event, error) {
		return func(m *MemberAccess, ws *Workspace, by Actor, now time.Time) ([]Event, error) {
			return m.SetContractInfo(ws, by, cmd, now)
		}
	}
	contract := SetContractInfo{Reference: "C-2025-17", EndsOn: "2026-06-30", Convention: "Platform convention 2024"}
	contractSet := []Event{ContractInfoSet{WorkspaceID: wsID, AccountID: targetID, Reference: "C-2025-17", EndsOn: "2026-06-30", Convention: "Platform convention 2024"}}
	runAccess(t, []accessCase{
		{name: "set", roster: accessWorld(), by: byAdmin, when: set(contract), then: contractSet},
		{name: "ended in the past", roster: accessWorld(), by: byAdmin, when: set(SetContractInfo{Reference: "old", EndsOn: "2020-01-31"}),
			then: []Event{ContractInfoSet{WorkspaceID: wsID, AccountID: targetID, Reference: "old", EndsOn: "2020-01-31"}}},
		{name: "the same info changes nothing", roster: accessWorld(), given: contractSet, by: byAdmin, when: set(contract)},
		{name: "not a date", roster: accessWorld(), by: byAdmin, when: set(SetContractInfo{EndsOn: "30/06/2026"}), err: CodeValidationFailed},
		{name: "an impossible date", roster: accessWorld(), by: byAdmin, when: set(SetContractInfo{EndsOn: "2026-02-30"}), err: CodeValidationFailed},
		{name: "a long reference", roster: accessWorld(), by: byAdmin, when: set(SetContractInfo{Reference: strings.Repeat("r", MaxContractReference+1)}), err: CodeValidationFailed},
		{name: "a long convention", roster: accessWorld(), by: byAdmin, when: set(SetContractInfo{Convention: strings.Repeat("é", MaxContractConvention+1)}), err: CodeValidationFailed},
		{name: "a convention of the maximum length in runes", roster: accessWorld(), by: byAdmin, when: set(SetContractInfo{Convention: strings.Repeat("é", MaxContractConvention)}),
			then: []Event{ContractInfoSet{WorkspaceID: wsID, AccountID: targetID, Convention: strings.Repeat("é", MaxContractConvention)}}},
	})
}

func TestSettingsFold(t *testing.T) {
	m := replayAccess(targetID, []Event{
		SecuritySettingsSet{WorkspaceID: wsID, AccountID: targetID, MFAEveryLogin: true, PasswordMaxAgeDays: 90},
		ContractInfoSet{WorkspaceID: wsID, AccountID: targetID, Reference: "C-1", EndsOn: "2026-01-31"},
	})
	if m.Security() != (SecuritySettings{MFAEveryLogin: true, PasswordMaxAgeDays: 90}) || m.Contract() != (ContractInfo{Reference: "C-1", EndsOn: "2026-01-31"}) {
		t.Fatalf("security %+v, contract %+v", m.Security(), m.Contract())
	}
	if m.WorkspaceID() != wsID || m.AccountID() != targetID {
		t.Fatalf("identity %s/%s", m.WorkspaceID(), m.AccountID())
	}
}
