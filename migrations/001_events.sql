-- The event store: one append-only table for every stream.
--
-- Global order is the pair (transaction_id, position). A reader of the global log only
-- takes rows whose transaction_id is below the oldest running transaction
-- (pg_snapshot_xmin(pg_current_snapshot())) and resumes after the last pair it saw, so an
-- event whose transaction commits late is never skipped. See eventstore/postgres.
CREATE TABLE events (
    position        bigint      GENERATED ALWAYS AS IDENTITY,
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    event_id        uuid        NOT NULL,
    stream          text        NOT NULL,
    stream_version  bigint      NOT NULL CHECK (stream_version > 0),
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL,
    data            json        NOT NULL, -- json, not jsonb: the bytes the hash covers are kept as written
    command_id      uuid,
    correlation_id  uuid,
    causation_id    uuid,
    actor           text        NOT NULL,
    reason          text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    prev_hash       bytea       NOT NULL,
    hash            bytea       NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (transaction_id, position),
    CONSTRAINT events_stream_version_key UNIQUE (stream, stream_version),
    CONSTRAINT events_event_id_key UNIQUE (event_id)
);

-- History is immutable. This stops accidents; the hash chain (accessledger verify) catches
-- anyone who disables the trigger first.
CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

---- create above / drop below ----

DROP TABLE events;
DROP FUNCTION events_refuse_change();
