package activity

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// Summary templates hold literal text with '{' and '}' doubled, and two placeholders that
// render fills at query time with account names: {member} (the member the event
// concerns) and {other} (a second account, e.g. the source of copied permissions).
const (
	memberPlaceholder = "{member}"
	otherPlaceholder  = "{other}"
)

// lit escapes literal text for a template, so that a project named "{member}"
// stays a name.
func lit(s string) string { return litEscaper.Replace(s) }

var litEscaper = strings.NewReplacer("{", "{{", "}", "}}")

// render fills a template's placeholders.
func render(template, member, other string) string {
	var b strings.Builder
	for i := 0; i < len(template); i++ {
		c := template[i]
		switch {
		case (c == '{' || c == '}') && i+1 < len(template) && template[i+1] == c:
			b.WriteByte(c)
			i++
		case strings.HasPrefix(template[i:], memberPlaceholder):
			b.WriteString(member)
			i += len(memberPlaceholder) - 1
		case strings.HasPrefix(template[i:], otherPlaceholder):
			b.WriteString(other)
			i += len(otherPlaceholder) - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// summaryLine is the summary of one event and the accounts it names.
type summaryLine struct {
	summary       string
	member, other uuid.UUID
}

// date formats a time in a summary: a date, with the time of day when it has one.
func date(t time.Time) string {
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format("2006-01-02 15:04 UTC")
}

// summarize answers the line of an event; name answers a catalog item's quoted,
// escaped name.
func summarize(e domain.Event, name func(uuid.UUID) string) summaryLine {
	if l, ok := workspaceLine(e, name); ok {
		return l
	}
	if l, ok := rosterLine(e); ok {
		return l
	}
	return accessLine(e, name)
}

func workspaceLine(e domain.Event, name func(uuid.UUID) string) (summaryLine, bool) {
	var s string
	switch e := e.(type) {
	case domain.WorkspaceCreated:
		return summaryLine{summary: fmt.Sprintf("created the workspace %s with %d seats, owned by {member}", lit(quote(e.Name)), e.Seats), member: e.OwnerAccountID}, true
	case domain.WorkspaceRenamed:
		s = "renamed the workspace to " + lit(quote(e.Name))
	case domain.PlanChanged:
		s = fmt.Sprintf("changed the plan to %d seats", e.Seats)
	case domain.OwnershipTransferred:
		return summaryLine{summary: "transferred the ownership from {other} to {member}", member: e.To, other: e.From}, true
	case domain.ModuleSet:
		s = "disabled the module " + lit(e.Module)
		if e.Enabled {
			s = fmt.Sprintf("enabled the module %s for %s and above", lit(e.Module), lit(string(e.MinRole)))
		}
	case domain.ProjectCreated:
		s = "created the project " + lit(quote(e.Name))
	case domain.ProjectArchived:
		s = "archived the project " + name(e.ProjectID)
	case domain.BookingCategoryDefined:
		s = "defined the booking category " + lit(quote(e.Name))
	case domain.BookingCategoryRetired:
		s = "retired the booking category " + name(e.CategoryID)
	case domain.VisaDefined:
		s = "defined the visa " + lit(quote(e.Name))
	case domain.VisaRetired:
		s = "retired the visa " + name(e.VisaID)
	case domain.ClientRegistered:
		s = "registered the client " + lit(quote(e.Name))
	case domain.ClientRetired:
		s = "retired the client " + name(e.ClientID)
	default:
		return summaryLine{}, false
	}
	return summaryLine{summary: s}, true
}

func rosterLine(e domain.Event) (summaryLine, bool) {
	line := func(account uuid.UUID, s string) (summaryLine, bool) {
		return summaryLine{summary: s, member: account}, true
	}
	switch e := e.(type) {
	case domain.MemberInvited:
		return line(e.AccountID, "invited {member} as "+lit(string(e.Role)))
	case domain.InvitationAccepted:
		return line(e.AccountID, "accepted the invitation") // only the invited account does
	case domain.InvitationResent:
		return line(e.AccountID, "resent the invitation of {member}, valid until "+date(e.ExpiresAt))
	case domain.InvitationRevoked:
		return line(e.AccountID, "revoked the invitation of {member}")
	case domain.InvitationExpired:
		return line(e.AccountID, "recorded that the invitation of {member} expired")
	case domain.AccessRequested:
		return line(e.AccountID, "requested access to the workspace") // only the account itself does
	case domain.AccessApproved:
		return line(e.AccountID, "approved the access request of {member} as "+lit(string(e.Role)))
	case domain.AccessRejected:
		return line(e.AccountID, "rejected the access request of {member}")
	case domain.RoleChanged:
		return line(e.AccountID, fmt.Sprintf("changed the role of {member} from %s to %s", lit(string(e.From)), lit(string(e.To))))
	case domain.LicenseDeactivated:
		return line(e.AccountID, "deactivated the license of {member}")
	case domain.LicenseReactivated:
		return line(e.AccountID, "reactivated the license of {member}")
	case domain.MemberSuspended:
		if e.Until != nil {
			return line(e.AccountID, "suspended {member} until "+date(*e.Until))
		}
		return line(e.AccountID, "suspended {member}")
	case domain.MemberReinstated:
		return line(e.AccountID, "reinstated {member}")
	case domain.MemberDeleted:
		return line(e.AccountID, "deleted {member} (was "+lit(string(e.PreviousStatus))+")")
	case domain.MemberRestored:
		return line(e.AccountID, "restored {member} as "+lit(string(e.Status)))
	case domain.MemberPurged:
		return line(e.AccountID, "purged {member}")
	case domain.WelcomeEmailSent:
		return line(e.AccountID, "sent the welcome email to {member}")
	}
	return summaryLine{}, false
}

func accessLine(e domain.Event, name func(uuid.UUID) string) summaryLine {
	line := func(account uuid.UUID, s string) summaryLine { return summaryLine{summary: s, member: account} }
	switch e := e.(type) {
	case domain.ProjectRoleAssigned:
		return line(e.AccountID, fmt.Sprintf("made {member} %s of the project %s", lit(string(e.Role)), name(e.ProjectID)))
	case domain.ProjectRoleRemoved:
		return line(e.AccountID, "removed {member} from the project "+name(e.ProjectID))
	case domain.VisaGranted:
		s := fmt.Sprintf("granted visa %s on %s to {member}", name(e.VisaID), name(e.CategoryID))
		if e.ValidUntil != nil {
			s += " until " + date(*e.ValidUntil)
		}
		return line(e.AccountID, s)
	case domain.VisaRevoked:
		return line(e.AccountID, "revoked the visa of {member} on "+name(e.CategoryID))
	case domain.VisaExpired:
		return line(e.AccountID, "expired the visa of {member} on "+name(e.CategoryID))
	case domain.ClientLinked:
		return line(e.AccountID, "linked {member} to the client "+name(e.ClientID))
	case domain.ClientUnlinked:
		return line(e.AccountID, "unlinked {member} from the client "+name(e.ClientID))
	case domain.PermissionsSet:
		return line(e.AccountID, fmt.Sprintf("set the permission overrides of {member}: %d granted, %d denied", len(e.Grant), len(e.Deny)))
	case domain.ScopeSet:
		return line(e.AccountID, fmt.Sprintf("set the access of {member} to %s to %s", lit(e.Scope), lit(string(e.Level))))
	case domain.PermissionsCopied:
		return summaryLine{summary: "copied the permissions of {other} to {member}", member: e.AccountID, other: e.FromAccountID}
	case domain.SecuritySettingsSet:
		return line(e.AccountID, "changed the security settings of {member}")
	case domain.ContractInfoSet:
		return line(e.AccountID, "changed the contract information of {member}")
	case domain.GrantsCleared:
		return line(e.AccountID, "cleared the grants of {member}")
	case domain.APITokenIssued:
		return line(e.AccountID, "issued an API token ("+lit(e.Name)+") to {member}")
	case domain.APITokenRevoked:
		return line(e.AccountID, "revoked an API token of {member}")
	}
	return summaryLine{summary: lit(e.EventType())} // a type added later still gets a line
}

// quote answers a name in double quotes.
func quote(s string) string { return `"` + s + `"` }
