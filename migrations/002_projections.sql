-- Projection bookkeeping. Each projection writes its tables into a schema of its own
-- generation (p_<name>_<generation>); the read side reads them through views in schema
-- rm, which a rebuild repoints at a new generation in one transaction.
CREATE SCHEMA rm;

CREATE TABLE projection_checkpoints (
    name             text        PRIMARY KEY,
    version          integer     NOT NULL, -- the projection code's version that built generation
    generation       integer     NOT NULL, -- the live schema is p_<name>_<generation>
    position         text        NOT NULL DEFAULT '00000000000000000000000000000000', -- eventstore.Position (String) of the last applied event
    events_applied   bigint      NOT NULL DEFAULT 0,
    last_event_at    timestamptz,          -- recorded_at of the last applied event (lag in seconds)
    epoch            bigint      NOT NULL DEFAULT 0, -- raised by every new lease holder
    lease_owner      text,
    lease_expires_at timestamptz,
    state            text        NOT NULL DEFAULT 'catching_up',
    last_error       text,
    error_stream     text,
    error_position   text,
    failed_at        timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- A rebuild under way builds generation rebuild_generation (schema
    -- p_<name>_<rebuild_generation>) with the code of rebuild_version while generation
    -- keeps serving; it holds its own lease so that one rebuilder runs at a time.
    rebuild_generation integer,
    rebuild_version    integer,
    rebuild_position   text,
    rebuild_events     bigint,
    rebuild_started_at timestamptz,
    rebuild_owner      text,
    rebuild_expires_at timestamptz
);

---- create above / drop below ----

DROP TABLE projection_checkpoints;
DROP SCHEMA rm CASCADE;
