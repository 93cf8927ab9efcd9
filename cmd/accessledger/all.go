package main

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

// readModels answers every read model of accessledger, in no particular order. The runtime of
// serve runs them all; `accessledger projections` acts on them by name.
func readModels() []projections.Projection {
	return []projections.Projection{members.Members{}, licenses.Licenses{}, history.History{}, booking.Booking{}, clients.ClientLinks{}, activity.Activity{}, access.AccessCheck{}, due.Due{}, spend.SpendScopes{}}
}

// readModelByName answers the read model of readModels named name, and whether there is one.
func readModelByName(name string) (projections.Projection, bool) {
	for _, p := range readModels() {
		if p.Name() == name {
			return p, true
		}
	}
	return nil, false
}
