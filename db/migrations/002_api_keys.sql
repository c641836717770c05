-- API keys: only a SHA-256 hash of each key is stored. A key carries a role and a scope; it names
-- the person (staff id) or tool it belongs to, so every change is attributable.
CREATE TABLE api_keys (
  key_id      uuid PRIMARY KEY,
  key_hash    bytea NOT NULL UNIQUE,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('case_manager', 'supervisor', 'head', 'integration', 'admin')),
  subject     text NOT NULL,
  scope       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX api_keys_active_idx ON api_keys (role) WHERE revoked_at IS NULL;
