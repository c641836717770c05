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

-- Imports of an existing caseload (POST /v1/imports): a job and its rows, processed by the job's
-- workflow (importCaseload) in chunks; a row is pending until its case is started. Rows hold the
-- case's workflow input (ids, stage, team, dates: no personal data, which goes to `people` at once).
CREATE TABLE import_jobs (
  import_id    uuid PRIMARY KEY,
  actor_kind   text NOT NULL CHECK (actor_kind IN ('person', 'tool', 'system')),
  actor_id     text NOT NULL,
  policy       jsonb NOT NULL,
  total        integer NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX import_jobs_owner ON import_jobs (actor_id, created_at DESC);

CREATE TABLE import_rows (
  import_id     uuid NOT NULL REFERENCES import_jobs,
  row_number    integer NOT NULL,
  external_id   text,
  case_id       uuid,
  status        text NOT NULL CHECK (status IN ('pending', 'imported', 'existing', 'failed')),
  input         jsonb,
  errors        jsonb,
  processed_at  timestamptz,
  PRIMARY KEY (import_id, row_number)
);
CREATE INDEX import_rows_pending ON import_rows (import_id, row_number) WHERE status = 'pending';
CREATE INDEX import_rows_by_status ON import_rows (import_id, status, row_number);
