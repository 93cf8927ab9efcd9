package domain

// Event types of the spend scopes a workspace defines, appended to its workspace stream.
const (
	TypeSpendScopeDefined   = "workspace.spend_scope_defined"
	TypeSpendScopeGrouped   = "workspace.spend_scope_grouped"
	TypeSpendScopeUngrouped = "workspace.spend_scope_ungrouped"
)

// SpendScopeDefined defines a provider, cloud account, subscription or spend group, with
// the scope it sits under (empty for providers and groups). A grant on a scope covers
// every scope under it, defined before or after the grant.
type SpendScopeDefined struct {
	Scope  string `json:"scope"`
	Parent string `json:"parent,omitempty"`
	Name   string `json:"name"`
}

// SpendScopeGrouped assigns a cloud account or subscription to a spend group: a grant on
// the group covers it and everything under it.
type SpendScopeGrouped struct {
	Group string `json:"group"`
	Scope string `json:"scope"`
}

// SpendScopeUngrouped takes a cloud account or subscription out of a spend group.
type SpendScopeUngrouped struct {
	Group string `json:"group"`
	Scope string `json:"scope"`
}

// EventType implements Event.
func (SpendScopeDefined) EventType() string { return TypeSpendScopeDefined }

// EventType implements Event.
func (SpendScopeGrouped) EventType() string { return TypeSpendScopeGrouped }

// EventType implements Event.
func (SpendScopeUngrouped) EventType() string { return TypeSpendScopeUngrouped }
