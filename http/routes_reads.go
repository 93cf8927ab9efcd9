package http

import (
	nethttp "net/http"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections/access"
	"accessledger/projections/booking"
	"accessledger/projections/history"
	"accessledger/projections/licenses"
	"accessledger/projections/members"
)

func (a *API) readRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/workspaces/{ws}/members", handle: a.listMembers},
		{method: "GET", path: memberPath, handle: a.getMember},
		{method: "GET", path: memberPath + "/history", handle: a.memberHistory},
		{method: "GET", path: "/v1/workspaces/{ws}/licenses", handle: a.licenses},
		{method: "GET", path: "/v1/workspaces/{ws}/booking/categories/{category}/authorized", handle: a.authorizedBookers},
		{method: "GET", path: "/v1/workspaces/{ws}/access/check", handle: a.checkAccess},
	}
}

// Read model names, for consistency waits.
var (
	membersModel = members.Members{}.Name()
	historyModel = history.History{}.Name()
	licenseModel = licenses.Licenses{}.Name()
	bookingModel = booking.Booking{}.Name()
	accessModel  = access.AccessCheck{}.Name()
)

func (a *API) listMembers(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, q, err := workspaceQuery(r, memberParams...)
	if err != nil {
		return err
	}
	f := members.MemberFilter{Role: domain.WorkspaceRole(q.str("role")), Project: q.id("project"), Client: q.id("client"),
		Category: q.id("category"), Q: q.str("q"), Sort: q.str("sort"), Cursor: q.str("cursor"), Limit: q.int("limit")}
	for _, s := range q.list("status") {
		f.Status = append(f.Status, domain.MemberStatus(s))
	}
	if err := q.done(); err != nil {
		return err
	}
	if err := a.authorize(w, r, ws, domain.ReadMembers, uuid.Nil, membersModel); err != nil {
		return err
	}
	p, err := members.ListMembers(r.Context(), a.Reads, ws, f)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, page[memberView]{Items: viewAll(p.Members, viewMember), Next: p.Next})
	return nil
}

// getMember answers a member's detail from the member list, or with ?as_of= the member
// as the workspace's and the member's streams had it at that time.
func (a *API) getMember(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, account, err := memberIDs(r)
	if err != nil {
		return err
	}
	q := newQuery(r.URL, asOfParams...)
	asOf := q.time("as_of")
	if err := q.done(); err != nil {
		return err
	}
	if !asOf.IsZero() {
		// Folded from the streams themselves, for auditors: no read model in between.
		if err := a.App.Authorize(r.Context(), ws, actor(r), domain.ReadMember, account); err != nil {
			return err
		}
		at, err := a.App.MemberAsOf(r.Context(), ws, account, asOf)
		if err != nil {
			return err
		}
		if !at.OnRoster {
			return memberNotFound(account)
		}
		writeJSON(w, nethttp.StatusOK, viewMemberAsOf(at))
		return nil
	}
	if err := a.authorize(w, r, ws, domain.ReadMember, account, membersModel); err != nil {
		return err
	}
	// The ETag is the roster's version on the command side, which the member's roster
	// commands check; the read model is read once it has applied that version, so that
	// the answer shows at least what its ETag stands for and a save based on it is never
	// accepted over a change the answer did not show.
	version, err := a.App.RosterVersion(r.Context(), ws)
	if err != nil {
		return err
	}
	if err := a.waitFor(w, r, version.Position, membersModel); err != nil {
		return err
	}
	m, found, err := members.GetMemberDetail(r.Context(), a.Reads, ws, account)
	if err != nil {
		return err
	}
	if !found {
		return memberNotFound(account)
	}
	w.Header().Set("ETag", etag(domain.WorkspaceStream(ws), version.Version))
	writeJSON(w, nethttp.StatusOK, viewMemberDetail(m))
	return nil
}

func memberNotFound(account uuid.UUID) error {
	return domain.NotFound("account %s is not a member of this workspace", account)
}

func memberIDs(r *nethttp.Request) (ws, account uuid.UUID, err error) {
	if ws, err = pathID(r, "ws"); err != nil {
		return ws, account, err
	}
	account, err = pathID(r, "account")
	return ws, account, err
}

func (a *API) memberHistory(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, account, err := memberIDs(r)
	if err != nil {
		return err
	}
	q := newQuery(r.URL, historyParams...)
	f := history.HistoryFilter{From: q.time("from"), To: q.time("to"), Kind: q.str("kind"), Cursor: q.str("cursor"),
		Limit: q.int("limit")}
	if err := q.done(); err != nil {
		return err
	}
	if err := a.authorize(w, r, ws, domain.ReadMember, account, historyModel); err != nil {
		return err
	}
	p, err := history.MemberHistory(r.Context(), a.Reads, ws, account, f)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, page[historyChangeView]{Items: viewAll(p.Changes, viewHistoryChange), Next: p.Next})
	return nil
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
