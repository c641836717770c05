-- Readable case numbers, region-year-sequence (UA63-2026-00042), shown wherever a person sees a
-- case; the UUID stays the id. A number is given when the projection first writes a case (an
-- AFTER INSERT trigger fires only for a row really inserted, not for a batch written again), from
-- a counter per region and year (Kyiv time) that the transaction holds until it commits: no
-- number is given twice, and one given is never taken back.
CREATE TABLE case_number_counters (
  prefix  text NOT NULL,
  year    integer NOT NULL,
  last    integer NOT NULL,
  PRIMARY KEY (prefix, year)
);

ALTER TABLE cases ADD COLUMN case_number text UNIQUE;

CREATE FUNCTION case_number_for(region text, opened_at timestamptz) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  -- UA-63 gives UA63; a region of another shape gives its letters and digits (UA if none).
  p text := coalesce(nullif(left(upper(regexp_replace(region, '[^A-Za-z0-9]', '', 'g')), 8), ''), 'UA');
  y integer := extract(year FROM opened_at AT TIME ZONE 'Europe/Kyiv');
  n integer;
BEGIN
  INSERT INTO case_number_counters AS c (prefix, year, last) VALUES (p, y, 1)
    ON CONFLICT (prefix, year) DO UPDATE SET last = c.last + 1
    RETURNING c.last INTO n;
  RETURN format('%s-%s-%s', p, y, lpad(n::text, 5, '0'));
END $$;

CREATE FUNCTION assign_case_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cases SET case_number = case_number_for(NEW.region, NEW.opened_at) WHERE case_id = NEW.case_id AND case_number IS NULL;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_case_number AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION assign_case_number();

-- The cases there are already, numbered in the order they were opened.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT case_id, region, opened_at FROM cases WHERE case_number IS NULL ORDER BY opened_at, case_id LOOP
    UPDATE cases SET case_number = case_number_for(r.region, r.opened_at) WHERE case_id = r.case_id;
  END LOOP;
END $$;
