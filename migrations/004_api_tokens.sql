-- API tokens: bearer tokens bound to an account. Only the SHA-256 of a token is kept, so
-- that a copy of the database lets nobody call the API. revoked_at ends a token for good;
-- last_used_at is refreshed at most once a minute per token, not on every request.
CREATE TABLE api_tokens (
    id             uuid        PRIMARY KEY,
    hash           text        NOT NULL UNIQUE,
    account_id     uuid        NOT NULL,
    platform_admin boolean     NOT NULL DEFAULT false,
    name           text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_used_at   timestamptz,
    revoked_at     timestamptz
);
CREATE INDEX ON api_tokens (account_id);

---- create above / drop below ----

DROP TABLE IF EXISTS api_tokens;
