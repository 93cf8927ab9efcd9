-- The scheduler's own state: the lease that lets one instance at a time record what time
-- does (expiries, purges), as the projections' checkpoints do, and what its last run did.
-- It is not a read model: a rebuild must not lose who holds the lease. One scheduler runs
-- per database, so the table holds one row.
CREATE TABLE scheduler_state (
    name          text        PRIMARY KEY,
    lease_owner   text,
    lease_expires timestamptz,
    epoch         bigint      NOT NULL DEFAULT 0,
    last_run_at   timestamptz,
    last_recorded bigint      NOT NULL DEFAULT 0,
    last_error    text        NOT NULL DEFAULT ''
);
INSERT INTO scheduler_state (name) VALUES ('scheduler');

---- create above / drop below ----

DROP TABLE IF EXISTS scheduler_state;
