package http

import "accessledger/projections"

// Read model names, for consistency waits.
var (
	membersModel = projections.Members{}.Name()
	historyModel = projections.History{}.Name()
	licenseModel = projections.Licenses{}.Name()
	bookingModel = projections.Booking{}.Name()
	accessModel  = projections.AccessCheck{}.Name()
	// activityModel is the activity log, which GET .../history reads.
	activityModel = projections.Activity{}.Name()
	// spendModel is the read model of spend scopes, which access checks on spend data
	// read beside the access-check model.
	spendModel = projections.SpendScopes{}.Name()
)
