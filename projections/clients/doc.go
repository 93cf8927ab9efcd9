// Package clients is the read model of current client links (ClientLinks): which member
// is linked to which client of the workspace.
//
// Events: ClientRegistered, ClientRetired, ClientLinked, ClientUnlinked, GrantsCleared.
//
// Tables (in each generation's schema, read through the rm views): clients_links,
// clients_names.
//
// Queries: ListClientLinks (a member's), MembersOfClient (a client's).
package clients
