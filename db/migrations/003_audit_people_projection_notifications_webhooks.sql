-- The rest of the schema: the audit trail (append-only), people, the normalised projection that
-- lists and reports read, versioned policies, notifications and webhooks.

-- ---- audit trail: nothing is updated or deleted in place -------------------------------------
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Who read which case, when (reads of a case by a person are part of the audit trail).
CREATE TABLE case_reads (
  read_id     bigserial PRIMARY KEY,
  case_id     uuid NOT NULL,
  actor_kind  text NOT NULL CHECK (actor_kind IN ('person', 'tool', 'system')),
  actor_id    text NOT NULL,
  what        text NOT NULL,
  request_id  text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_reads_case_idx ON case_reads (case_id, at);
CREATE TRIGGER case_reads_append_only BEFORE UPDATE OR DELETE ON case_reads
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Changes that are not a case's own (API keys, policies, subscriptions), with their actor.
CREATE TABLE admin_events (
  event_id    bigserial PRIMARY KEY,
  actor_kind  text NOT NULL,
  actor_id    text NOT NULL,
  action      text NOT NULL,
  subject     text NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER admin_events_append_only BEFORE UPDATE OR DELETE ON admin_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- One view of everything that happened to a case: its changes and its reads, in time order.
CREATE VIEW case_audit_trail AS
  SELECT case_id, at, 'change' AS kind, type AS action, actor_kind, actor_id, seq, data AS details FROM case_events
  UNION ALL
  SELECT case_id, at, 'read' AS kind, what AS action, actor_kind, actor_id, NULL::integer AS seq,
         jsonb_build_object('requestId', request_id) AS details FROM case_reads;

-- ---- people: personal data lives here, never in workflow histories ----------------------------
CREATE TABLE people (
  person_id            uuid PRIMARY KEY,
  full_name            text NOT NULL,
  birth_date           date,
  phone                text,
  displacement_status  text CHECK (displacement_status IN ('idp', 'returnee', 'host_community', 'other')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  created_by           text NOT NULL
);
CREATE INDEX people_name_idx ON people (lower(full_name) text_pattern_ops);

CREATE TABLE case_people (
  case_id    uuid NOT NULL,
  person_id  uuid NOT NULL REFERENCES people,
  role       text NOT NULL CHECK (role IN ('client', 'household_member')),
  relation   text,
  PRIMARY KEY (case_id, person_id)
);

-- People served once (information, a consultation) without a case: recorded by the API directly,
-- no workflow. Their services are in case_services (kind 'one_off', case_id = contact_id).
CREATE TABLE one_off_contacts (
  contact_id   uuid PRIMARY KEY,
  region       text NOT NULL,
  hromada      text,
  at           timestamptz NOT NULL,
  person_id    uuid REFERENCES people,
  recorded_by  text NOT NULL
);
CREATE INDEX one_off_contacts_report_idx ON one_off_contacts (region, at);

-- ---- the normalised projection (written with the case row, same transaction) -----------------
ALTER TABLE cases ADD COLUMN closed_at timestamptz, ADD COLUMN closure_reason text, ADD COLUMN closure_outcome text;
CREATE INDEX cases_closed_idx ON cases (region, closed_at) WHERE closed_at IS NOT NULL;

CREATE TABLE case_services (
  case_id       uuid NOT NULL,
  service_id    text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('case', 'one_off')),
  category      text NOT NULL,
  delivered_at  timestamptz NOT NULL,
  provider_id   text,
  referral_id   text,
  region        text NOT NULL,
  hromada       text,
  PRIMARY KEY (case_id, service_id)
);
CREATE INDEX case_services_report_idx ON case_services (region, delivered_at, category);

CREATE TABLE case_referrals (
  case_id         uuid NOT NULL,
  referral_id     text NOT NULL,
  provider_id     text NOT NULL,
  category        text NOT NULL,
  status          text NOT NULL,
  sent_at         timestamptz NOT NULL,
  acknowledge_by  timestamptz NOT NULL,
  answered_at     timestamptz,
  PRIMARY KEY (case_id, referral_id)
);
CREATE INDEX case_referrals_provider_idx ON case_referrals (provider_id, status);

CREATE TABLE case_escalations (
  case_id        uuid NOT NULL,
  escalation_id  text NOT NULL,
  deadline_id    text NOT NULL,
  reason         text NOT NULL,
  level          text NOT NULL,
  status         text NOT NULL,
  opened_at      timestamptz NOT NULL,
  respond_by     timestamptz NOT NULL,
  supervisor_id  text,
  region         text NOT NULL,
  PRIMARY KEY (case_id, escalation_id)
);
CREATE INDEX case_escalations_queue_idx ON case_escalations (supervisor_id, status, respond_by);

CREATE TABLE case_assessments (
  case_id       uuid NOT NULL,
  version       integer NOT NULL,
  cycle         integer NOT NULL,
  needs         jsonb NOT NULL,
  strengths     jsonb NOT NULL,
  resources     jsonb NOT NULL,
  submitted_at  timestamptz NOT NULL,
  submitted_by  text NOT NULL,
  PRIMARY KEY (case_id, version)
);

CREATE TABLE case_plans (
  case_id       uuid NOT NULL,
  version       integer NOT NULL,
  cycle         integer NOT NULL,
  goals         jsonb NOT NULL,
  status        text NOT NULL,
  submitted_at  timestamptz NOT NULL,
  decided_at    timestamptz,
  PRIMARY KEY (case_id, version)
);

-- What a closure looked like when it was approved, kept for reports (a reopened case keeps them all).
CREATE TABLE case_closures (
  case_id          uuid NOT NULL,
  closed_at        timestamptz NOT NULL,
  reason           text NOT NULL,
  outcome          text NOT NULL,
  region           text NOT NULL,
  hromada          text,
  case_manager_id  text,
  opened_at        timestamptz NOT NULL,
  cycles           integer NOT NULL,
  services         jsonb NOT NULL,
  referrals        integer NOT NULL,
  PRIMARY KEY (case_id, closed_at)
);
CREATE INDEX case_closures_report_idx ON case_closures (region, closed_at);

-- ---- deadline policies, versioned; the newest is the current one -----------------------------
CREATE TABLE policies (
  version       text PRIMARY KEY,
  policy        jsonb NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT now(),
  published_by  text NOT NULL
);
CREATE INDEX policies_published_idx ON policies (published_at DESC);

-- ---- notifications to people: reminders, escalations, referral news ---------------------------
CREATE TABLE notifications (
  notification_id  bigserial PRIMARY KEY,
  case_id          uuid NOT NULL,
  seq              integer NOT NULL,
  recipient_role   text NOT NULL,
  recipient_id     text NOT NULL,
  kind             text NOT NULL,
  title_uk         text NOT NULL,
  title_en         text NOT NULL,
  created_at       timestamptz NOT NULL,
  read_at          timestamptz,
  UNIQUE (case_id, seq, recipient_id)
);
CREATE INDEX notifications_inbox_idx ON notifications (recipient_id, read_at, created_at);

-- ---- webhooks to other tools -------------------------------------------------------------------
CREATE TABLE webhook_subscriptions (
  subscription_id  uuid PRIMARY KEY,
  name             text NOT NULL,
  url              text NOT NULL CHECK (url ~ '^https?://'),
  secret           text NOT NULL,
  event_types      text[] NOT NULL DEFAULT '{}',
  regions          text[] NOT NULL DEFAULT '{}',
  -- A provider's own system: only events about referrals addressed to that provider.
  provider_id      text,
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  created_by       text NOT NULL
);

-- Every delivery attempt, for the sender's and the receiver's peace of mind.
CREATE TABLE webhook_deliveries (
  attempt_id       bigserial PRIMARY KEY,
  subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions,
  event_key        text NOT NULL,
  attempt          integer NOT NULL,
  outcome          text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'gave_up')),
  http_status      integer,
  error            text,
  duration_ms      integer NOT NULL,
  at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_key_idx ON webhook_deliveries (subscription_id, event_key);
