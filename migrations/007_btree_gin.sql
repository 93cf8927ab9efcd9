-- btree_gin lets a GIN index lead with a plain column: the member list's text search
-- indexes (workspace_id, search), so that a search walks the trigrams of one workspace's
-- members rather than those of every member of every workspace, whose common trigrams
-- (an email domain, a frequent name) grow with the whole table. Trusted since
-- PostgreSQL 13, like pg_trgm.
CREATE EXTENSION IF NOT EXISTS btree_gin;

---- create above / drop below ----

-- CASCADE: the search indexes of the member generations depend on the extension.
DROP EXTENSION IF EXISTS btree_gin CASCADE;
