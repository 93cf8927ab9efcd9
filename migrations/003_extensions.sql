-- Extensions the read models rely on.
--
-- pg_trgm gives the member list its case-insensitive substring search (`q`): a GIN
-- trigram index on the lowercased names, email and login answers LIKE '%...%' without a
-- scan of the workspace's members. pg_trgm is a trusted extension (PostgreSQL 13+), so a
-- database owner without superuser rights may create it too.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

---- create above / drop below ----

-- CASCADE: the trigram indexes of the projection generations depend on the extension.
DROP EXTENSION IF EXISTS pg_trgm CASCADE;
