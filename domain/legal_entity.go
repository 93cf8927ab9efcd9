package domain

import "strings"

// Catalog and document visibility (procurement portal): which legal entities' catalogs
// and documents a member sees is a scope per entity, with a default like spend data's.

// LegalEntity is the kind of the scopes that choose whose catalogs and documents (quotes,
// orders, invoices) a member sees: legal_entity:<id>. A member without any sees every
// legal entity's; once granted one, only those granted.
const LegalEntity = "legal_entity"

// IsLegalEntityScope reports whether scope names a legal entity.
func IsLegalEntityScope(scope string) bool {
	return strings.HasPrefix(scope, LegalEntity+":")
}
