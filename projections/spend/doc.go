// Package spend is the read model of the spend scopes workspaces define (SpendScopes):
// providers, cloud accounts, subscriptions and spend groups, which access checks resolve
// at check time.
//
// Events: SpendScopeDefined, SpendScopeGrouped, SpendScopeUngrouped.
//
// Tables (in each generation's schema, read through the rm views): spend_scopes.
//
// Queries: none of its own: access.CheckAccess reads spend_scopes to know what covers a
// scope.
package spend
