package http

import (
	"accessledger/projections/licenses"
	nethttp "net/http"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
)

// licenseRoutes are the workspace's seats and their daily usage.
func (a *API) licenseRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/workspaces/{ws}/licenses", handle: a.licenses,
			doc: opDoc{summary: "Seats, used by status, available, and daily usage", resp: licensesView{}, query: licenseParams}},
	}
}

// licenses answers the seat quota and, per day from `from` to `to` (default: the last
// 30 days), the highest number of seats used.
func (a *API) licenses(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, q, err := workspaceQuery(r, licenseParams...)
	if err != nil {
		return err
	}
	from, to := q.time("from"), q.time("to")
	if err := q.done(); err != nil {
		return err
	}
	if to.IsZero() {
		to = time.Now()
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, -30)
	}
	if err := a.authorize(w, r, ws, domain.ReadLicenses, uuid.Nil, licenseModel); err != nil {
		return err
	}
	sum, found, err := licenses.GetLicenses(r.Context(), a.Reads, ws)
	if err != nil {
		return err
	}
	if !found {
		return domain.NotFound("workspace not found")
	}
	usage, err := licenses.SeatUsage(r.Context(), a.Reads, ws, from, to)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, viewLicenses(sum, usage))
	return nil
}
