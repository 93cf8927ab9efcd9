package projections

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/eventstore"
)

// Status is what an operator sees of one projection.
type Status struct {
	Name string `json:"name"`
	// Version is the version of the code that built the live tables; CodeVersion the
	// version of this binary's code. They differ until a rebuild has swapped in tables
	// of the new version.
	Version     int `json:"version"`
	CodeVersion int `json:"code_version"`
	Generation  int `json:"generation"`
	// State is StateRunning, StateCatchingUp, StateRebuilding or StateFailed.
	State    string              `json:"state"`
	Position eventstore.Position `json:"position"`
	Head     eventstore.Position `json:"head"`
	// LagEvents counts the events of the log after Position (at most 10 million, or
	// 10,000 for a log that cannot count them cheaply).
	LagEvents int64 `json:"lag_events"`
	// LagSeconds is the age of the oldest event not applied yet; 0 when caught up.
	LagSeconds    float64    `json:"lag_seconds"`
	EventsApplied int64      `json:"events_applied"`
	LastEventAt   *time.Time `json:"last_event_at,omitempty"`
	UpdatedAt     time.Time  `json:"updated_at"`
	LeaseOwner    string     `json:"lease_owner,omitempty"`
	// LastError, ErrorStream and ErrorPosition say why a failed projection stopped.
	LastError     string     `json:"last_error,omitempty"`
	ErrorStream   string     `json:"error_stream,omitempty"`
	ErrorPosition string     `json:"error_position,omitempty"`
	FailedAt      *time.Time `json:"failed_at,omitempty"`
	// Rebuild is the rebuild under way, if any.
	Rebuild *RebuildStatus `json:"rebuild,omitempty"`
}

// RebuildStatus is a rebuild under way: the generation it builds and how far it got.
type RebuildStatus struct {
	Generation int                 `json:"generation"`
	Version    int                 `json:"version"`
	Position   eventstore.Position `json:"position"`
	Events     int64               `json:"events"`
	StartedAt  time.Time           `json:"started_at"`
	Owner      string              `json:"owner"`
}

// ReadStatus answers the status of each of ps, in the order given, from the checkpoints
// in pool and the head of log. A projection not installed yet is reported with
// version and generation 0, in state StateCatchingUp (StateRunning when the log is
// empty: there is nothing to catch up with).
func ReadStatus(ctx context.Context, pool *pgxpool.Pool, log eventstore.LogReader, ps []Projection) (_ []Status, err error) {
	defer stateFailed(&err)
	head, err := log.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("projection status: %w", err)
	}
	out := make([]Status, len(ps))
	for i, p := range ps {
		st := Status{Name: p.Name(), CodeVersion: p.Version(), Head: head, State: StateCatchingUp}
		if err := readStatusRow(ctx, pool, &st); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("status of %s: %w", p.Name(), err)
		}
		if err := measureLag(ctx, log, &st); err != nil {
			return nil, fmt.Errorf("lag of %s: %w", p.Name(), err)
		}
		out[i] = st
	}
	return out, nil
}

// Status answers the status of the runtime's projections, sorted by name.
func (r *Runtime) Status(ctx context.Context) ([]Status, error) {
	ps := make([]Projection, 0, len(r.projections))
	for _, p := range r.projections {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b Projection) int { return cmp.Compare(a.Name(), b.Name()) })
	return ReadStatus(ctx, r.pool, r.log, ps)
}

// Failed answers the names of the projections that stopped on an event, sorted: what
// readiness checks ask, from the checkpoints alone, without the lag that Status measures.
func Failed(ctx context.Context, q Querier) (_ []string, err error) {
	defer stateFailed(&err)
	rows, err := q.Query(ctx, `SELECT name FROM projection_checkpoints WHERE state = $1 ORDER BY name`, StateFailed)
	if err != nil {
		return nil, fmt.Errorf("failed projections: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("failed projections: %w", err)
	}
	return names, nil
}

func readStatusRow(ctx context.Context, q Querier, st *Status) error {
	var pos string
	var owner, lastErr, errStream, errPos, rebuildPos, rebuildOwner *string
	var rebuildGen, rebuildVersion *int
	var rebuildEvents *int64
	var rebuildStarted *time.Time
	err := q.QueryRow(ctx, `SELECT version, generation, position, events_applied, last_event_at, updated_at,
		lease_owner, state, last_error, error_stream, error_position, failed_at,
		rebuild_generation, rebuild_version, rebuild_position, rebuild_events, rebuild_started_at, rebuild_owner
		FROM projection_checkpoints WHERE name = $1`, st.Name).
		Scan(&st.Version, &st.Generation, &pos, &st.EventsApplied, &st.LastEventAt, &st.UpdatedAt,
			&owner, &st.State, &lastErr, &errStream, &errPos, &st.FailedAt,
			&rebuildGen, &rebuildVersion, &rebuildPos, &rebuildEvents, &rebuildStarted, &rebuildOwner)
	if err != nil {
		return err
	}
	st.LeaseOwner, st.LastError, st.ErrorStream, st.ErrorPosition = deref(owner), deref(lastErr), deref(errStream), deref(errPos)
	if st.Position, err = eventstore.ParsePosition(pos); err != nil {
		return err
	}
	if rebuildGen != nil {
		rb := &RebuildStatus{Generation: *rebuildGen, Version: derefOr(rebuildVersion), Events: derefOr(rebuildEvents),
			Owner: deref(rebuildOwner)}
		if rebuildStarted != nil {
			rb.StartedAt = *rebuildStarted
		}
		if rb.Position, err = eventstore.ParsePosition(deref(rebuildPos)); err != nil {
			return err
		}
		st.Rebuild = rb
		if st.State != StateFailed {
			st.State = StateRebuilding
		}
	}
	return nil
}

// measureLag fills the lag of st: the events after its position, and the age of the
// first of them.
func measureLag(ctx context.Context, log eventstore.LogReader, st *Status) error {
	if !st.Position.Before(st.Head) {
		if st.State == StateCatchingUp {
			st.State = StateRunning
		}
		return nil
	}
	next, err := log.ReadAll(ctx, st.Position, 1)
	if err != nil || len(next) == 0 {
		return err
	}
	st.LagSeconds = max(0, time.Since(next[0].RecordedAt).Seconds())
	st.LagEvents, err = countEvents(ctx, log, st.Position, countCap)
	return err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefOr[T int | int64](v *T) T {
	if v == nil {
		return 0
	}
	return *v
}
