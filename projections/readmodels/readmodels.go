// Package readmodels is the list of accessledger's read models: the one place that names
// them all, for the binary that runs them and for the tests that run them as it does. The
// runtime (package projections) knows none of them.
package readmodels

import (
	"accessledger/projections"
	"accessledger/projections/access"
	"accessledger/projections/activity"
	"accessledger/projections/booking"
	"accessledger/projections/clients"
	"accessledger/projections/due"
	"accessledger/projections/history"
	"accessledger/projections/licenses"
	"accessledger/projections/members"
	"accessledger/projections/spend"
)

// All answers every read model of accessledger, in no particular order.
func All() []projections.Projection {
	return []projections.Projection{members.Members{}, licenses.Licenses{}, history.History{}, booking.Booking{},
		clients.ClientLinks{}, activity.Activity{}, access.AccessCheck{}, due.Due{}, spend.SpendScopes{}}
}

// ByName answers the read model of All named name, and whether there is one.
func ByName(name string) (projections.Projection, bool) {
	for _, p := range All() {
		if p.Name() == name {
			return p, true
		}
	}
	return nil, false
}
