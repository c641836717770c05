-- Sign-in for people (the web console): a password account per member of the staff registry, and
-- their sessions. Passwords are stored only as argon2id hashes; a session is known by the SHA-256
-- of its cookie's token, never the token itself. Sign-ins, sign-outs and password changes go to
-- admin_events (without names or passwords).
CREATE TABLE staff_accounts (
  staff_id              text PRIMARY KEY REFERENCES staff (staff_id),
  login                 text NOT NULL UNIQUE CHECK (login = lower(login) AND length(login) BETWEEN 3 AND 100),
  password_hash         text NOT NULL,
  -- Set when an administrator gave the password: the person chooses their own at the next sign-in.
  must_change_password  boolean NOT NULL DEFAULT true,
  failed_attempts       integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  password_set_at       timestamptz NOT NULL DEFAULT now(),
  password_set_by       text NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_sessions (
  session_hash  text PRIMARY KEY,
  staff_id      text NOT NULL REFERENCES staff (staff_id),
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  ended_at      timestamptz
);
CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id) WHERE ended_at IS NULL;
