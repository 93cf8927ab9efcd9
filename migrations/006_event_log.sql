-- The event log this database's read models, checkpoints and tokens follow: 'postgres'
-- (the events table) or 'kurrentdb'. Checkpoints hold positions of one log, which mean
-- nothing in another, so a process refuses to start on a database bound to another log.
-- One row, written by the first process to start.
CREATE TABLE event_log (
    singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    kind      text        NOT NULL CHECK (kind IN ('postgres', 'kurrentdb')),
    bound_at  timestamptz NOT NULL DEFAULT now()
);

-- A database that already holds events or applied them follows the PostgreSQL log: the
-- KurrentDB backend came with this migration.
INSERT INTO event_log (kind)
SELECT 'postgres'
WHERE EXISTS (SELECT 1 FROM events)
   OR EXISTS (SELECT 1 FROM projection_checkpoints WHERE events_applied > 0);

---- create above / drop below ----

DROP TABLE event_log;
