package projections

// All answers every read model of accessledger, in no particular order. The runtime of
// serve runs them all; `accessledger projections` acts on them by name.
func All() []Projection {
	return []Projection{Members{}, Licenses{}, History{}, Booking{}, ClientLinks{}, Activity{}, AccessCheck{}, Due{}, SpendScopes{}}
}

// ByName answers the projection of All named name, and whether there is one.
func ByName(name string) (Projection, bool) {
	for _, p := range All() {
		if p.Name() == name {
			return p, true
		}
	}
	return nil, false
}
