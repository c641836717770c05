-- People as case workers keep them: read back, corrected with every earlier version kept, searched
-- within scope, and compared for possible duplicates (docs/DATA.md, "People").

-- Trigram similarity narrows the candidates for a name (pg_trgm ships with PostgreSQL).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The keys search and matching compare, computed by the API from the values it stores
-- (domain/person-matching.ts): the name transliterated to Latin and lower-cased, the phone as
-- international digits, each document as "type:NUMBER". Rows written before 007 get them from
-- the API at start (backfillKeys in db/people.ts).
ALTER TABLE people
  ADD COLUMN name_key       text,
  ADD COLUMN phone_key      text,
  ADD COLUMN documents      jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN document_keys  text[] NOT NULL DEFAULT '{}',
  ADD COLUMN version        integer NOT NULL DEFAULT 1 CHECK (version > 0),
  ADD COLUMN updated_at     timestamptz,
  ADD COLUMN updated_by     text;
CREATE INDEX people_name_key_trgm_idx ON people USING gin (name_key gin_trgm_ops);
CREATE INDEX people_birth_date_idx ON people (birth_date) WHERE birth_date IS NOT NULL;
CREATE INDEX people_phone_key_idx ON people (phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX people_document_keys_idx ON people USING gin (document_keys);

-- Every version of a person, the first included: a correction adds one and never rewrites one, so
-- the value before it is always there. Append-only.
CREATE TABLE person_versions (
  person_id            uuid NOT NULL REFERENCES people,
  version              integer NOT NULL CHECK (version > 0),
  full_name            text NOT NULL,
  birth_date           date,
  phone                text,
  displacement_status  text,
  documents            jsonb NOT NULL,
  -- The case it was written through, and the person's relation on it (household members).
  case_id              uuid,
  relation             text,
  -- Who wrote it; the kind is NULL where only the id is known (people recorded before 007, one-off contacts).
  actor_kind           text CHECK (actor_kind IN ('person', 'tool', 'system')),
  actor_id             text NOT NULL,
  reason               text,
  at                   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, version)
);
CREATE TRIGGER person_versions_append_only BEFORE UPDATE OR DELETE ON person_versions
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
INSERT INTO person_versions (person_id, version, full_name, birth_date, phone, displacement_status, documents, case_id, relation, actor_id, at)
  SELECT p.person_id, 1, p.full_name, p.birth_date, p.phone, p.displacement_status, '[]'::jsonb, cp.case_id, cp.relation, p.created_by, p.created_at
    FROM people p LEFT JOIN LATERAL (SELECT case_id, relation FROM case_people WHERE person_id = p.person_id LIMIT 1) cp ON true;

-- A household member leaves a case by being marked removed, never by losing the row.
ALTER TABLE case_people
  ADD COLUMN added_at        timestamptz,
  ADD COLUMN added_by        text,
  ADD COLUMN removed_at      timestamptz,
  ADD COLUMN removed_by      text,
  ADD COLUMN removal_reason  text;
CREATE INDEX case_people_person_idx ON case_people (person_id);

-- Changes to the people of a case, with their actor, for the case's audit trail. Details name
-- fields, versions and ids, never the personal data (which stays in people and person_versions).
-- Append-only.
CREATE TABLE case_people_changes (
  change_id   bigserial PRIMARY KEY,
  case_id     uuid NOT NULL,
  person_id   uuid NOT NULL REFERENCES people,
  action      text NOT NULL CHECK (action IN ('household_member_added', 'person_corrected', 'household_member_removed', 'possible_duplicate_linked', 'possible_duplicate_dismissed')),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('person', 'tool', 'system')),
  actor_id    text NOT NULL,
  details     jsonb NOT NULL,
  request_id  text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_people_changes_case_idx ON case_people_changes (case_id, at);
CREATE TRIGGER case_people_changes_append_only BEFORE UPDATE OR DELETE ON case_people_changes
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- A supervisor's decision on a possible duplicate: the two records are the same person, or not.
-- Each pair is stored in one order (person_id < other_person_id); the newest decision on a pair
-- holds, the earlier ones stay. Recording a link merges nothing. Append-only.
CREATE TABLE person_links (
  link_id          bigserial PRIMARY KEY,
  person_id        uuid NOT NULL REFERENCES people,
  other_person_id  uuid NOT NULL REFERENCES people,
  decision         text NOT NULL CHECK (decision IN ('same_person', 'not_same_person')),
  score            numeric(3, 2) NOT NULL,
  reasons          jsonb NOT NULL,
  case_id          uuid NOT NULL,
  actor_kind       text NOT NULL CHECK (actor_kind IN ('person', 'tool', 'system')),
  actor_id         text NOT NULL,
  note             text,
  at               timestamptz NOT NULL DEFAULT now(),
  CHECK (person_id < other_person_id)
);
CREATE INDEX person_links_pair_idx ON person_links (person_id, other_person_id, link_id DESC);
CREATE INDEX person_links_other_idx ON person_links (other_person_id);
CREATE TRIGGER person_links_append_only BEFORE UPDATE OR DELETE ON person_links
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- The audit trail of a case now shows the changes to its people too.
CREATE OR REPLACE VIEW case_audit_trail AS
  SELECT case_id, at, 'change' AS kind, type AS action, actor_kind, actor_id, seq, data AS details FROM case_events
  UNION ALL
  SELECT case_id, at, 'read' AS kind, what AS action, actor_kind, actor_id, NULL::integer AS seq,
         jsonb_build_object('requestId', request_id) AS details FROM case_reads
  UNION ALL
  SELECT case_id, at, 'change' AS kind, action, actor_kind, actor_id, NULL::integer AS seq,
         details || jsonb_build_object('requestId', request_id) AS details FROM case_people_changes;
