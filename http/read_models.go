package http

import (
	"accessledger/projections/access"
	"accessledger/projections/activity"
	"accessledger/projections/booking"
	"accessledger/projections/history"
	"accessledger/projections/licenses"
	"accessledger/projections/members"
	"accessledger/projections/spend"
)

// Read model names, for consistency waits.
var (
	membersModel = members.Members{}.Name()
	historyModel = history.History{}.Name()
	licenseModel = licenses.Licenses{}.Name()
	bookingModel = booking.Booking{}.Name()
	accessModel  = access.AccessCheck{}.Name()
	// activityModel is the activity log, which GET .../history reads.
	activityModel = activity.Activity{}.Name()
	// spendModel is the read model of spend scopes, which access checks on spend data
	// read beside the access-check model.
	spendModel = spend.SpendScopes{}.Name()
)
