-- Console sessions are kept SESSION_RETENTION_DAYS (default 30) after they expire, then purged in
-- batches by the API (api/housekeeping.ts): the index finds the old ones without a full scan. Sign-ins
-- and sign-outs stay in admin_events.
CREATE INDEX staff_sessions_expires_at ON staff_sessions (expires_at);
