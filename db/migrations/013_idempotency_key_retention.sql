-- Idempotency keys are kept for IDEMPOTENCY_KEY_RETENTION_DAYS (default 30) and then purged in
-- batches by the API (api/housekeeping.ts): the index finds the old ones without a full scan.
CREATE INDEX idempotency_keys_first_seen_at ON idempotency_keys (first_seen_at);
