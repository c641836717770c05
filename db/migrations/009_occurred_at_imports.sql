-- Backdating: when a change happened, kept apart from when it was recorded (`at`). Rows from before
-- this migration happened when they were recorded (case_events is append-only, so no backfill: the
-- readers take coalesce(occurred_at, at)).
ALTER TABLE case_events ADD COLUMN occurred_at timestamptz;

-- The audit trail shows both times (a column added at the end, so the view can be replaced).
CREATE OR REPLACE VIEW case_audit_trail AS
  SELECT case_id, at, 'change' AS kind, type AS action, actor_kind, actor_id, seq, data AS details, coalesce(occurred_at, at) AS occurred_at FROM case_events
  UNION ALL
  SELECT case_id, at, 'read' AS kind, what AS action, actor_kind, actor_id, NULL::integer AS seq,
         jsonb_build_object('requestId', request_id) AS details, at AS occurred_at FROM case_reads
  UNION ALL
  SELECT case_id, at, 'change' AS kind, action, actor_kind, actor_id, NULL::integer AS seq,
         details || jsonb_build_object('requestId', request_id) AS details, at AS occurred_at FROM case_people_changes;
