-- Each Idempotency-Key with a hash of the request it first came with, so that the key sent again
-- with another request is refused (422) instead of answered with the first request's result.
-- `namespace` is what the key is unique within: the case for a command (the key is its command id
-- there), the caller and operation otherwise (docs/API.md, "Retrying safely").
CREATE TABLE idempotency_keys (
  namespace     text NOT NULL,
  key           text NOT NULL,
  request_hash  bytea NOT NULL CHECK (octet_length(request_hash) = 32),
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (namespace, key)
);
