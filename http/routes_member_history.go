package http

import (
	"accessledger/projections/history"
	nethttp "net/http"

	"accessledger/domain"
)

// memberHistoryRoutes are a member's authorization history.
func (a *API) memberHistoryRoutes() []route {
	return []route{
		{method: "GET", path: memberPath + "/history", handle: a.memberHistory,
			doc: opDoc{summary: "A member's authorization history", resp: page[historyChangeView]{}, query: historyParams}},
	}
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
	if len(p.Changes) == 0 && f.Cursor == "" {
		// An empty first page: a quiet period, or an account the workspace never had.
		if found, err := history.HasHistory(r.Context(), a.Reads, ws, account); err != nil {
			return err
		} else if !found {
			return memberNotFound(account)
		}
	}
	writeJSON(w, nethttp.StatusOK, page[historyChangeView]{Items: viewAll(p.Changes, viewHistoryChange), Next: p.Next})
	return nil
}
