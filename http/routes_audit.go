package http

import (
	"encoding/json"
	"errors"
	nethttp "net/http"
	"time"

	"github.com/google/uuid"

	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/projections/activity"
)

func (a *API) auditRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/workspaces/{ws}/history", handle: a.activityLog},
		{method: "GET", path: "/v1/streams/{stream}/events", handle: a.streamEvents},
		{method: "GET", path: "/v1/events", handle: a.globalLog},
	}
}

var activityModel = activity.Activity{}.Name()

// eventView is a stored event with its whole envelope, as auditors verify it: the hash
// chain lets them check that nothing was edited.
type eventView struct {
	ID            uuid.UUID           `json:"id"`
	Stream        string              `json:"stream"`
	Version       int64               `json:"version"`
	Position      string              `json:"position"`
	Type          string              `json:"type"`
	SchemaVersion int                 `json:"schema_version"`
	Data          json.RawMessage     `json:"data"`
	Metadata      eventstore.Metadata `json:"metadata"`
	RecordedAt    time.Time           `json:"recorded_at"`
	PrevHash      string              `json:"prev_hash"`
	Hash          string              `json:"hash"`
}

func viewEvent(e eventstore.Event) eventView {
	return eventView{ID: e.ID, Stream: e.Stream, Version: e.Version, Position: e.Position.String(), Type: e.Type,
		SchemaVersion: e.SchemaVersion, Data: e.Data, Metadata: e.Metadata, RecordedAt: e.RecordedAt,
		PrevHash: e.PrevHash.String(), Hash: e.Hash.String()}
}

// eventsPage is a page of raw events; next is the parameter value of the next page.
type eventsPage struct {
	Items []eventView `json:"items"`
	Next  string      `json:"next,omitempty"`
}

const maxEventsLimit = 1000

// streamEvents answers a stream's events from from_version: workspace and member streams
// to the workspace's owner, admins and auditors; other streams to platform admins.
func (a *API) streamEvents(w nethttp.ResponseWriter, r *nethttp.Request) error {
	stream, err := pathVar(r, "stream")
	if err != nil {
		return err
	}
	// The store's own check, so that a name it refuses is the client's error.
	var bad *eventstore.ValidationError
	if err := eventstore.ValidateStreamName(stream); errors.As(err, &bad) {
		return badField("stream", "%s", bad.Problem)
	}
	q := newQuery(r.URL, streamParams...)
	from, limit := q.int("from_version"), q.int("limit")
	if err := q.done(); err != nil {
		return err
	}
	if err := a.authorizeStream(r, stream); err != nil {
		return err
	}
	if limit == 0 {
		limit = 100
	}
	events, err := a.Events.ReadStream(r.Context(), stream, eventstore.ReadStreamOptions{From: int64(max(from, 1)), Limit: limit})
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return domain.NotFound("stream not found")
	}
	if err != nil {
		return err
	}
	p := eventsPage{Items: viewAll(events, viewEvent)}
	if len(events) == limit {
		p.Next = itoa(events[len(events)-1].Version + 1)
	}
	writeJSON(w, nethttp.StatusOK, p)
	return nil
}

func (a *API) authorizeStream(r *nethttp.Request, stream string) error {
	ref, ok := domain.ParseStream(stream)
	if ok && (ref.Kind == domain.StreamKindWorkspace || ref.Kind == domain.StreamKindMember) {
		return a.App.Authorize(r.Context(), ref.WorkspaceID, actor(r), domain.ReadHistory, uuid.Nil)
	}
	if caller(r).PlatformAdmin {
		return nil
	}
	return domain.NotFound("stream not found")
}

// globalLog answers the global log after a position: platform admins only.
func (a *API) globalLog(w nethttp.ResponseWriter, r *nethttp.Request) error {
	q := newQuery(r.URL, logParams...)
	afterText, limit := q.str("after"), q.int("limit")
	if err := q.done(); err != nil {
		return err
	}
	after, err := eventstore.ParsePosition(afterText)
	if err != nil {
		return badField("after", "must be a position this API answered")
	}
	if !caller(r).PlatformAdmin {
		return domain.Forbidden("only platform admins may read the global log")
	}
	if limit == 0 {
		limit = 100
	}
	events, err := a.Events.ReadAll(r.Context(), after, limit)
	if err != nil {
		return err
	}
	p := eventsPage{Items: viewAll(events, viewEvent)}
	if len(events) == limit {
		p.Next = events[len(events)-1].Position.String()
	}
	writeJSON(w, nethttp.StatusOK, p)
	return nil
}
