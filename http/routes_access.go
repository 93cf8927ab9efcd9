package http

import (
	nethttp "net/http"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections/access"
	"accessledger/projections/booking"
	"accessledger/projections/history"
)

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

// checkAccess answers whether an account may do an action in the workspace, from one row
// of the access-check read model.
func (a *API) checkAccess(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, q, err := workspaceQuery(r, checkParams...)
	if err != nil {
		return err
	}
	account, action := q.id("account"), q.str("action")
	if err := q.done(); err != nil {
		return err
	}
	if err := a.authorize(w, r, ws, domain.ReadAccess, account, accessModel, spendModel); err != nil {
		return err
	}
	d, err := access.CheckAccess(r.Context(), a.Reads, ws, account, action, time.Now())
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, decisionView{Allowed: d.Allowed, Reason: d.Reason})
	return nil
}
