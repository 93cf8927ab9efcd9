package projections

import (
	"reflect"
	"sync"

	"accessledger/domain"
)

// continuityScope is the set of stream kinds whose continuity a projection checks: the
// kinds that the event types it handles are appended to. A gap in a stream whose events
// it ignores cannot change its tables, and recording where such streams end would cost
// a row per stream for nothing (most read models ignore claims and accounts). A nil
// scope checks every stream: a projection that does not declare its EventUse, which the
// service's read models all do.
//
// A read model that starts handling a kind it ignored must change its Version: its
// record of where that kind's streams end is missing, and a rebuild writes it.
type continuityScope map[string]bool

// scopes caches each projection type's scope: it is asked for on every batch.
var scopes sync.Map // reflect.Type -> continuityScope

// scopeOf answers p's continuity scope.
func scopeOf(p Projection) continuityScope {
	key := reflect.TypeOf(p)
	if s, ok := scopes.Load(key); ok {
		return s.(continuityScope)
	}
	var s continuityScope
	if user, ok := p.(EventUser); ok {
		s = continuityScope{}
		for _, t := range user.Events().Handled {
			for _, kind := range domain.StreamKindsOf(t) {
				s[kind] = true
			}
		}
	}
	scopes.Store(key, s)
	return s
}

// tracks reports whether the scope checks stream; a name the domain does not parse is
// checked.
func (s continuityScope) tracks(stream string) bool {
	if s == nil {
		return true
	}
	ref, ok := domain.ParseStream(stream)
	return !ok || s[ref.Kind]
}

// tracksEvent reports whether the scope checks e's stream; a name the domain does not
// parse is checked.
func (s continuityScope) tracksEvent(e *Envelope) bool {
	if s == nil {
		return true
	}
	ref, ok := e.StreamRef()
	return !ok || s[ref.Kind]
}
