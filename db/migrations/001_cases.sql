-- The case projection: the workflow is the truth about a case in flight; this table is what lists,
-- search and reports read. Written only by the case activities, keyed by case id and event
-- sequence, so a retried activity never writes twice and the row never goes backwards.
CREATE TABLE cases (
  case_id          uuid PRIMARY KEY,
  workflow_id      text NOT NULL UNIQUE,
  seq              integer NOT NULL CHECK (seq > 0),
  stage            text NOT NULL,
  priority         text NOT NULL,
  region           text NOT NULL,
  hromada          text,
  case_manager_id  text,
  supervisor_id    text,
  source           text NOT NULL,
  external_ref     text,
  policy_version   text NOT NULL,
  next_deadline_at timestamptz,
  overdue          boolean NOT NULL DEFAULT false,
  opened_at        timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  state            jsonb NOT NULL
);
CREATE INDEX cases_stage_idx ON cases (stage, opened_at, case_id);
CREATE INDEX cases_region_idx ON cases (region, hromada, opened_at);
CREATE INDEX cases_case_manager_idx ON cases (case_manager_id, stage);
CREATE INDEX cases_supervisor_idx ON cases (supervisor_id, stage);
CREATE INDEX cases_next_deadline_idx ON cases (next_deadline_at) WHERE stage <> 'closed';

-- Every change of every case, in order, with its actor. Append-only.
CREATE TABLE case_events (
  case_id      uuid NOT NULL,
  seq          integer NOT NULL CHECK (seq > 0),
  type         text NOT NULL,
  actor_kind   text NOT NULL CHECK (actor_kind IN ('person', 'tool', 'system')),
  actor_id     text NOT NULL,
  at           timestamptz NOT NULL,
  data         jsonb NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, seq)
);
