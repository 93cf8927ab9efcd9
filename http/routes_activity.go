package http

import (
	"encoding/csv"
	"encoding/json"
	"mime"
	nethttp "net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/projections/activity"
)

// Media types of the activity log's exports.
const (
	mediaCSV    = "text/csv"
	mediaNDJSON = "application/x-ndjson"
)

// activityRoutes are the workspace's activity log and its exports.
func (a *API) activityRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/workspaces/{ws}/history", handle: a.activityLog,
			doc: opDoc{summary: "The activity log; Accept text/csv or application/x-ndjson exports it", resp: page[activityView]{}, query: activityParams, problems: []int{406}}},
	}
}

// activityLog answers a page of a workspace's activity log, or with Accept: text/csv or
// application/x-ndjson the whole selection as an export that streams row by row.
func (a *API) activityLog(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, q, err := workspaceQuery(r, activityParams...)
	if err != nil {
		return err
	}
	f := activity.ActivityFilter{From: q.time("from"), To: q.time("to"), Actor: q.str("actor"), Member: q.id("member"),
		Kind: q.str("kind"), Cursor: q.str("cursor"), Limit: q.int("limit")}
	switch order := q.str("order"); order {
	case "", orderNewest:
	case orderOldest:
		f.Oldest = true
	default:
		q.fail("order", "must be %s or %s", orderNewest, orderOldest)
	}
	if err := q.done(); err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if err := a.authorize(w, r, ws, domain.ReadHistory, uuid.Nil, activityModel); err != nil {
		return err
	}
	if format != "" {
		return a.exportActivity(w, r, ws, f, format)
	}
	p, err := activity.ListActivity(r.Context(), a.Reads, ws, f)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, page[activityView]{Items: viewAll(p.Entries, viewActivity), Next: p.Next})
	return nil
}

// exportFormat answers the export media type r accepts, or "" for a JSON page.
func exportFormat(r *nethttp.Request) (string, error) {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return "", nil
	}
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case mediaCSV, mediaNDJSON:
			return mt, nil
		case "application/json", "application/*", "*/*":
			return "", nil
		}
	}
	return "", &fieldError{field: "Accept", message: "this list answers application/json, text/csv or application/x-ndjson", code: nethttp.StatusNotAcceptable}
}

// exportFlushEvery is how many rows an export writes between flushes.
const exportFlushEvery = 500

var activityCSVHeader = []string{"position", "at", "actor", "actor_name", "account_id", "member_name", "type", "summary", "reason", "event_id", "stream", "version"}

// exportActivity streams the selection in constant memory. Once rows are sent an error
// can no longer become a problem document: the connection is aborted instead, so that a
// truncated export never looks complete.
func (a *API) exportActivity(w nethttp.ResponseWriter, r *nethttp.Request, ws uuid.UUID, f activity.ActivityFilter, format string) error {
	rc := nethttp.NewResponseController(w)
	started := false
	start := func() {
		if started {
			return
		}
		started = true
		w.Header().Set("Content-Type", format+"; charset=utf-8")
		if format == mediaCSV {
			w.Header().Set("Content-Disposition", `attachment; filename="activity-`+ws.String()+`.csv"`)
		}
		w.WriteHeader(nethttp.StatusOK)
	}
	cw, enc := csv.NewWriter(w), json.NewEncoder(w)
	n := 0
	err := activity.StreamActivity(r.Context(), a.Reads, ws, f, func(e activity.ActivityEntry) error {
		if !started {
			start()
			if format == mediaCSV {
				_ = cw.Write(activityCSVHeader)
			}
		}
		if format == mediaCSV {
			_ = cw.Write(activityCSVRow(e))
		} else if err := enc.Encode(viewActivity(e)); err != nil {
			return err
		}
		if n++; n%exportFlushEvery == 0 {
			cw.Flush()
			_ = rc.Flush()
		}
		return cw.Error()
	})
	if err != nil {
		if !started {
			return err
		}
		panic(nethttp.ErrAbortHandler)
	}
	if !started {
		start()
		if format == mediaCSV {
			_ = cw.Write(activityCSVHeader)
		}
	}
	cw.Flush()
	return nil
}

func activityCSVRow(e activity.ActivityEntry) []string {
	account := ""
	if e.AccountID != uuid.Nil {
		account = e.AccountID.String()
	}
	return []string{e.Position, e.At.Format(time.RFC3339Nano), e.Actor, csvSafe(e.ActorName), account, csvSafe(e.MemberName), e.Type,
		csvSafe(e.Summary), csvSafe(e.Reason), e.EventID.String(), e.Stream, strconv.FormatInt(e.Version, 10)}
}

// csvSafe defuses cells that spreadsheets would run as formulas (CSV injection, OWASP):
// names and reasons are typed by users.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
