-- The workspace a token was issued in (by accepting an invitation, or with the workspace
-- for its owner), whose activity log records its issue and revocation. NULL for tokens
-- issued to operators from the command line.
ALTER TABLE api_tokens ADD COLUMN workspace_id uuid;

---- create above / drop below ----

ALTER TABLE api_tokens DROP COLUMN IF EXISTS workspace_id;
