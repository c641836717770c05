-- Subscriptions are managed over the API (docs/API.md): each has an owner (the tool whose key may
-- manage it; an administrator's otherwise), is deactivated rather than deleted, and its delivery
-- log is read newest first, a page at a time.
ALTER TABLE webhook_subscriptions
  ADD COLUMN owner           text,
  ADD COLUMN updated_at      timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN deactivated_at  timestamptz;
UPDATE webhook_subscriptions SET owner = created_by, updated_at = created_at;
UPDATE webhook_subscriptions SET deactivated_at = created_at WHERE NOT active;
ALTER TABLE webhook_subscriptions ALTER COLUMN owner SET NOT NULL;
CREATE INDEX webhook_subscriptions_owner_idx ON webhook_subscriptions (owner, created_at, subscription_id);

CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (subscription_id, attempt_id DESC);
