-- Batches of the projection that PostgreSQL refused for their data (SQLSTATE class 22, 23 or 54:
-- retrying the same batch fails the same way), set aside so the case goes on (docs/DATA.md).
CREATE TABLE projection_quarantine (
  quarantine_id  bigserial PRIMARY KEY,
  case_id        uuid NOT NULL,
  first_seq      integer NOT NULL,
  last_seq       integer NOT NULL,
  sqlstate       text NOT NULL,
  -- The batch as the workflow sent it ({events, state}) as JSON text. JSON.stringify escapes what
  -- text and jsonb cannot hold (\u0000, unpaired surrogates), so nothing of it is lost here; it is
  -- parsed back in the application, never cast to jsonb.
  batch          text NOT NULL,
  -- 'cleaned': written at once with U+FFFD in place of what could not be stored;
  -- 'not_written': nothing of it reached the journal (later batches still move the case row).
  projected      text NOT NULL CHECK (projected IN ('cleaned', 'not_written')),
  set_aside_at   timestamptz NOT NULL DEFAULT now(),
  repaired_at    timestamptz,
  repaired_by    text,
  UNIQUE (case_id, first_seq)
);
CREATE INDEX projection_quarantine_open_idx ON projection_quarantine (case_id) WHERE repaired_at IS NULL;
