package main

import (
	"slices"
	"strconv"
)

// planListed is a hot-path statement, normalized as planNormalize does, with where it
// comes from: the code that runs it, and the route or work that does.
type planListed struct{ from, sql string }

// hotPathStatements are the statements the service runs per command, per read, per
// projection wake-up and per projection batch: TestHotPathPlans checks the generic plan
// of each. A few that the workload cannot provoke on purpose (an append that lost a
// race, a projection behind) are listed all the same, and say so.
var hotPathStatements = slices.Concat(hotPathLog, hotPathBatches, hotPathReads)

// hotPathLog are the statements on the event log, the API tokens and the projections'
// checkpoints.
var hotPathLog = []planListed{
	{from: "apitoken/store.go Authenticate: a request whose token is not cached",
		sql: `SELECT id, account_id, platform_admin, last_used_at FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL`},
	{from: "apitoken/store.go Authenticate: a token's first use in a minute",
		sql: `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`},
	{from: "apitoken/store.go Issue: POST /v1/workspaces, accepting an invitation",
		sql: `INSERT INTO api_tokens (id, hash, account_id, platform_admin, name, workspace_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`},
	{from: "apitoken/store.go List: GET /v1/accounts/{account}/tokens",
		sql: `SELECT id, account_id, platform_admin, name, workspace_id, created_at, last_used_at, revoked_at, hash FROM api_tokens WHERE account_id = $1 ORDER BY created_at DESC, id`},
	{from: "apitoken/store.go Revoke: DELETE /v1/accounts/{account}/tokens/{id}",
		sql: `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL RETURNING id, account_id, platform_admin, name, workspace_id, created_at, last_used_at, revoked_at, hash`},
	{from: "apitoken/store.go get: Issue reads the token back",
		sql: `SELECT id, account_id, platform_admin, name, workspace_id, created_at, last_used_at, revoked_at, hash FROM api_tokens WHERE id = $1`},
	{from: "eventstore/postgres/append.go conflictOrRetry: an append that lost a race (not run by the workload)",
		sql: `SELECT coalesce(max(stream_version), $2) FROM events WHERE stream = $1`},
	{from: "eventstore/postgres/append.go findStored: an append that lost a race, or a retried one (not run by the workload)",
		sql: `SELECT event_id, stream, stream_version, transaction_id, position FROM events WHERE event_id = ANY($1) ORDER BY stream_version`},
	{from: "eventstore/postgres/append.go headFor: an append at an exact version whose head this process does not remember (not run by the workload)",
		sql: `SELECT stream_version, hash FROM events WHERE stream = $1 AND stream_version = $2`},
	{from: "eventstore/postgres/append.go headFor: an append at any version whose head this process does not remember (not run by the workload)",
		sql: `SELECT stream_version, hash FROM events WHERE stream = $1 ORDER BY stream_version DESC LIMIT $2`},
	{from: "eventstore/postgres/append.go insert: every append, one VALUES row per event",
		sql: `INSERT INTO events (event_id, stream, stream_version, event_type, schema_version, data, command_id, correlation_id, causation_id, actor, reason, occurred_at, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING event_id, transaction_id, position`},
	{from: "eventstore/postgres/read.go countAfterSQL: lag in GET /v1/projections and /metrics while a projection is behind (not run by the workload)",
		sql: `SELECT count(*) FROM (SELECT $4 FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY transaction_id, position LIMIT $3) AS t`},
	{from: "eventstore/postgres/read.go firstAfterSQL: every wake-up of the projections",
		sql: `SELECT transaction_id < pg_snapshot_xmin(pg_current_snapshot()) FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint) ORDER BY transaction_id, position LIMIT $3`},
	{from: "eventstore/postgres/read.go headSQL: GET /v1/projections, /metrics",
		sql: `SELECT transaction_id, position FROM events WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY transaction_id DESC, position DESC LIMIT $1`},
	{from: "eventstore/postgres/read.go readAllSQL: every projection batch reads the log; GET /v1/events; lag in GET /v1/projections",
		sql: `SELECT transaction_id, position, event_id, stream, stream_version, event_type, schema_version, data, command_id, correlation_id, causation_id, actor, reason, occurred_at, recorded_at, prev_hash, hash FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY transaction_id, position LIMIT $3`},
	{from: "eventstore/postgres/read.go readForwardSQL: a command loads its streams; GET /v1/streams/{stream}/events; as_of reads",
		sql: `SELECT transaction_id, position, event_id, stream, stream_version, event_type, schema_version, data, command_id, correlation_id, causation_id, actor, reason, occurred_at, recorded_at, prev_hash, hash FROM events WHERE stream = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`},
	{from: "eventstore/postgres/read.go streamExistsSQL: a stream read past the end of a stream this process has not read",
		sql: `SELECT EXISTS (SELECT $2 FROM events WHERE stream = $1)`},
	{from: "eventstore/postgres/stall.go oldestTransactionSQL: /metrics",
		sql: `SELECT pid, extract($1 FROM now() - xact_start) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND xact_start IS NOT NULL ORDER BY xact_start LIMIT $2`},
	{from: "eventstore/postgres/wait.go notifyLoop: after appends, at most once per NotifyInterval",
		sql: `SELECT pg_notify($1, $2)`},
	{from: "projections/checkpoint.go commitCheckpoint: every batch",
		sql: `UPDATE projection_checkpoints SET position = $4, events_applied = events_applied + $5, last_event_at = $6, state = $7, updated_at = now() WHERE name = $1 AND epoch = $2 AND generation = $3`},
	{from: "projections/checkpoint.go renewLease: every projector, every LeaseTTL/3",
		sql: `UPDATE projection_checkpoints SET lease_expires_at = now() + $3::interval WHERE name = $1 AND epoch = $2`},
	{from: "projections/apply.go asyncCommitSQL: every batch commits without waiting for the WAL flush",
		sql: `SELECT set_config($1, $2, $3)`},
	{from: "projections/checkpoint.go queueStoredPosition: every batch locks its checkpoint",
		sql: `SELECT position FROM projection_checkpoints WHERE name = $1 AND epoch = $2 AND generation = $3 FOR UPDATE`},
	{from: "projections/status.go Failed: /readyz",
		sql: `SELECT name FROM projection_checkpoints WHERE state = $1 ORDER BY name`},
	{from: "projections/status.go readStatusRow: GET /v1/projections, /metrics",
		sql: `SELECT version, generation, position, events_applied, last_event_at, updated_at, lease_owner, state, last_error, error_stream, error_position, failed_at, rebuild_generation, rebuild_version, rebuild_position, rebuild_events, rebuild_started_at, rebuild_owner FROM projection_checkpoints WHERE name = $1`},
	{from: "projections/wait.go: a read with X-Consistency-Token while the projector runs in another process (not run by the workload)",
		sql: `SELECT name, position FROM projection_checkpoints WHERE name = ANY($1)`},
	{from: "scheduler/lease.go hold: a scheduler run takes the lease",
		sql: `UPDATE scheduler_state SET epoch = epoch + $4, lease_owner = $2, lease_expires = now() + $3::interval WHERE name = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires < now()) RETURNING epoch`},
	{from: "scheduler/lease.go hold: every scheduler run after the first renews the lease (not run by the workload)",
		sql: `UPDATE scheduler_state SET lease_expires = now() + $3::interval WHERE name = $1 AND epoch = $2`},
	{from: "scheduler/lease.go record: every scheduler run",
		sql: `UPDATE scheduler_state SET last_run_at = $3, last_recorded = $4, last_error = $5 WHERE name = $1 AND epoch = $2`},
	{from: "scheduler/lease.go release: serve stops (not run by the workload)",
		sql: `UPDATE scheduler_state SET lease_owner = NULL, lease_expires = NULL WHERE name = $1 AND epoch = $2`},
	{from: "scheduler/status.go ReadStatus: /metrics, projections status",
		sql: `SELECT lease_owner, lease_expires, last_run_at, last_recorded, last_error FROM scheduler_state WHERE name = $1`},
}

// planMemberColumns are the columns every member query reads (columns, in projections/members/members_query.go).
const planMemberColumns = "SELECT m.workspace_id, m.account_id, m.status, m.role, m.previous_status, m.email, m.login, " +
	"m.first_name, m.last_name, m.phone, m.invited_at, m.joined_at, m.status_changed_at, m.deleted_at, " +
	"m.invitation_expires_at, m.suspension_reason, m.suspended_until, m.welcome_sent"

// planActivityFrom answers the select list and joins of an activity log query, up to its
// WHERE, whose six constants pg_stat_statements numbered from $first, after the
// parameters of its conditions.
func planActivityFrom(first int) string {
	p := func(i int) string { return "$" + strconv.Itoa(first+i) }
	name := func(alias string, i int) string {
		return "coalesce(nullif(btrim(" + alias + ".first_name || " + p(i) + " || " + alias + ".last_name), " + p(i+1) + "), " + alias + ".email)"
	}
	return "SELECT l.position, l.event_id, l.stream, l.version, l.event_type, l.occurred_at, l.actor, l.account_id, l.other_id, " +
		"l.reason, l.summary, " + name("aa", 0) + ", " + name("am", 2) + ", " + name("ao", 4) + ` FROM "rm"."activity_log" l ` +
		`LEFT JOIN "rm"."members_accounts" aa ON aa.account_id = l.actor_id ` +
		`LEFT JOIN "rm"."members_accounts" am ON am.account_id = l.account_id ` +
		`LEFT JOIN "rm"."members_accounts" ao ON ao.account_id = l.other_id WHERE `
}
