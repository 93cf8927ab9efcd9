package http

import (
	"accessledger/projections/booking"
	"accessledger/projections/history"
	nethttp "net/http"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// bookerRoutes are who may book a booking category.
func (a *API) bookerRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/workspaces/{ws}/booking/categories/{category}/authorized", handle: a.authorizedBookers,
			doc: opDoc{summary: "Who may book a category, now or as_of", resp: page[bookerView]{}, query: asOfParams}},
	}
}

// authorizedBookers answers who may book a category now, from the booking read model,
// or with ?as_of= who could at that time, from the authorization history.
func (a *API) authorizedBookers(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, err := pathID(r, "ws")
	if err != nil {
		return err
	}
	category, err := pathID(r, "category")
	if err != nil {
		return err
	}
	q := newQuery(r.URL, asOfParams...)
	asOf := q.time("as_of")
	if err := q.done(); err != nil {
		return err
	}
	model := bookingModel
	if !asOf.IsZero() {
		model = historyModel
	}
	if err := a.authorize(w, r, ws, domain.ReadAccess, uuid.Nil, model); err != nil {
		return err
	}
	var out []bookerView
	if asOf.IsZero() {
		rows, err := booking.AuthorizedForCategory(r.Context(), a.Reads, ws, category, time.Now())
		if err != nil {
			return err
		}
		out = viewAll(rows, func(b booking.BookingAuthorization) bookerView {
			return bookerView{AccountID: b.AccountID, VisaID: b.VisaID, ValidUntil: b.ValidUntil}
		})
	} else {
		rows, err := history.BookersAt(r.Context(), a.Reads, ws, category, asOf)
		if err != nil {
			return err
		}
		out = viewAll(rows, func(b history.Booker) bookerView {
			return bookerView{AccountID: b.AccountID, VisaID: b.VisaID, ValidUntil: b.ValidUntil}
		})
	}
	writeJSON(w, nethttp.StatusOK, page[bookerView]{Items: out})
	return nil
}
