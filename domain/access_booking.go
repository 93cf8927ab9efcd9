package domain

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
)

// GrantVisa authorizes the member to book a category with a visa.
type GrantVisa struct {
	CategoryID uuid.UUID
	VisaID     uuid.UUID
	ValidUntil *time.Time // optional; must lie after now
}

func (c GrantVisa) validate(now time.Time) error {
	var v validator
	v.id("category_id", c.CategoryID)
	v.id("visa_id", c.VisaID)
	v.after("valid_until", c.ValidUntil, now)
	return v.err()
}

// GrantVisa grants, or replaces, the member's visa on a category; admins and above. The
// booking module must be enabled (module_disabled), and the category and visa defined and
// not retired.
func (m *MemberAccess) GrantVisa(ws *Workspace, by Actor, cmd GrantVisa, now time.Time) ([]Event, error) {
	if err := cmd.validate(now); err != nil {
		return nil, err
	}
	if err := m.authorize(ws, by, "grant visas"); err != nil {
		return nil, err
	}
	if !ws.HasModule(ModuleBooking) {
		return nil, conflict(CodeModuleDisabled, "the booking module is disabled in this workspace")
	}
	if err := ws.requireGrantable(catalogRef{categoryCatalog, cmd.CategoryID}, catalogRef{visaCatalog, cmd.VisaID}); err != nil {
		return nil, err
	}
	grant := VisaGrant{VisaID: cmd.VisaID, ValidUntil: utc(deref(cmd.ValidUntil))}
	if current, ok := m.visas[cmd.CategoryID]; ok && current.equal(grant) {
		return nil, nil
	}
	return []Event{VisaGranted{WorkspaceID: m.workspaceID, AccountID: m.accountID, CategoryID: cmd.CategoryID, VisaID: cmd.VisaID, ValidUntil: utcPtr(cmd.ValidUntil)}}, nil
}

// RevokeVisa withdraws the member's visa on a category.
type RevokeVisa struct {
	CategoryID uuid.UUID
}

// RevokeVisa withdraws a grant; admins and above. No grant on the category changes nothing.
func (m *MemberAccess) RevokeVisa(ws *Workspace, by Actor, cmd RevokeVisa, now time.Time) ([]Event, error) {
	var v validator
	v.id("category_id", cmd.CategoryID)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := m.authorize(ws, by, "revoke visas"); err != nil {
		return nil, err
	}
	if _, ok := m.visas[cmd.CategoryID]; !ok {
		return nil, nil
	}
	return []Event{VisaRevoked{WorkspaceID: m.workspaceID, AccountID: m.accountID, CategoryID: cmd.CategoryID}}, nil
}

// ExpireVisas answers one access.visa_expired per grant whose ValidUntil has passed at
// now, in category order; the system actor only, as scheduled work. Expiry is a fact of
// time, not an edit, so it applies to frozen members too and needs no roster.
func (m *MemberAccess) ExpireVisas(by Actor, now time.Time) ([]Event, error) {
	if !by.IsSystem() {
		return nil, forbidden("only the system expires visas")
	}
	var events []Event
	for _, category := range slices.SortedFunc(maps.Keys(m.visas), compareUUID) {
		if !m.visas[category].ValidAt(now) {
			events = append(events, VisaExpired{WorkspaceID: m.workspaceID, AccountID: m.accountID, CategoryID: category})
		}
	}
	return events, nil
}
