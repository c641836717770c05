-- Reference data: Ukraine's regions (ISO 3166-2:UA), hromadas (KATOTTG), and the staff registry.
-- Stored regions become codes wherever the name is recognisable; anything else is kept as it was.

CREATE TABLE regions (
  code     text PRIMARY KEY,
  name_uk  text NOT NULL,
  name_en  text NOT NULL,
  kind     text NOT NULL CHECK (kind IN ('oblast', 'city', 'autonomous_republic')),
  -- Other names a caller may send (domain/regions.ts): the oblast's centre, the adjective, older spellings.
  aliases  text[] NOT NULL DEFAULT '{}'
);
INSERT INTO regions (code, name_uk, name_en, kind, aliases) VALUES
  ('UA-05', 'Вінницька область', 'Vinnytsia Oblast', 'oblast', ARRAY['Vinnytsia', 'Vinnytsia region', 'Вінницька', 'Вінниця', 'Vinnytska oblast']),
  ('UA-07', 'Волинська область', 'Volyn Oblast', 'oblast', ARRAY['Volyn', 'Volyn region', 'Волинська', 'Волинь', 'Volynska oblast']),
  ('UA-09', 'Луганська область', 'Luhansk Oblast', 'oblast', ARRAY['Luhansk', 'Luhansk region', 'Луганська', 'Луганськ', 'Luhanska oblast']),
  ('UA-12', 'Дніпропетровська область', 'Dnipropetrovsk Oblast', 'oblast', ARRAY['Dnipropetrovsk', 'Dnipropetrovsk region', 'Дніпропетровська', 'Дніпро', 'Dnipro', 'Dnipropetrovska oblast']),
  ('UA-14', 'Донецька область', 'Donetsk Oblast', 'oblast', ARRAY['Donetsk', 'Donetsk region', 'Донецька', 'Донецьк', 'Donetska oblast']),
  ('UA-18', 'Житомирська область', 'Zhytomyr Oblast', 'oblast', ARRAY['Zhytomyr', 'Zhytomyr region', 'Житомирська', 'Житомир', 'Zhytomyrska oblast']),
  ('UA-21', 'Закарпатська область', 'Zakarpattia Oblast', 'oblast', ARRAY['Zakarpattia', 'Zakarpattia region', 'Закарпатська', 'Закарпаття', 'Transcarpathia', 'Zakarpatska oblast']),
  ('UA-23', 'Запорізька область', 'Zaporizhzhia Oblast', 'oblast', ARRAY['Zaporizhzhia', 'Zaporizhzhia region', 'Запорізька', 'Запоріжжя', 'Zaporizhia', 'Zaporizka oblast']),
  ('UA-26', 'Івано-Франківська область', 'Ivano-Frankivsk Oblast', 'oblast', ARRAY['Ivano-Frankivsk', 'Ivano-Frankivsk region', 'Івано-Франківська', 'Івано-Франківськ', 'Ivano-Frankivska oblast']),
  ('UA-30', 'Київ', 'Kyiv', 'city', ARRAY['Kyiv city', 'Kiev', 'місто Київ', 'м. Київ']),
  ('UA-32', 'Київська область', 'Kyiv Oblast', 'oblast', ARRAY['Kyiv region', 'Київська', 'Київщина', 'Kyivska oblast']),
  ('UA-35', 'Кіровоградська область', 'Kirovohrad Oblast', 'oblast', ARRAY['Kirovohrad', 'Kirovohrad region', 'Кіровоградська', 'Кропивницький', 'Kirovohradska oblast', 'Kropyvnytskyi']),
  ('UA-40', 'Севастополь', 'Sevastopol', 'city', ARRAY['Sevastopol city', 'місто Севастополь', 'м. Севастополь']),
  ('UA-43', 'Автономна Республіка Крим', 'Autonomous Republic of Crimea', 'autonomous_republic', ARRAY['Crimea', 'Krym', 'Крим', 'АР Крим', 'Avtonomna Respublika Krym']),
  ('UA-46', 'Львівська область', 'Lviv Oblast', 'oblast', ARRAY['Lviv', 'Lviv region', 'Львівська', 'Львів', 'Lvivska oblast']),
  ('UA-48', 'Миколаївська область', 'Mykolaiv Oblast', 'oblast', ARRAY['Mykolaiv', 'Mykolaiv region', 'Миколаївська', 'Миколаїв', 'Mykolaivska oblast']),
  ('UA-51', 'Одеська область', 'Odesa Oblast', 'oblast', ARRAY['Odesa', 'Odesa region', 'Одеська', 'Одеса', 'Odessa', 'Odeska oblast']),
  ('UA-53', 'Полтавська область', 'Poltava Oblast', 'oblast', ARRAY['Poltava', 'Poltava region', 'Полтавська', 'Полтава', 'Poltavska oblast']),
  ('UA-56', 'Рівненська область', 'Rivne Oblast', 'oblast', ARRAY['Rivne', 'Rivne region', 'Рівненська', 'Рівне', 'Rivnenska oblast']),
  ('UA-59', 'Сумська область', 'Sumy Oblast', 'oblast', ARRAY['Sumy', 'Sumy region', 'Сумська', 'Суми', 'Sumska oblast']),
  ('UA-61', 'Тернопільська область', 'Ternopil Oblast', 'oblast', ARRAY['Ternopil', 'Ternopil region', 'Тернопільська', 'Тернопіль', 'Ternopilska oblast']),
  ('UA-63', 'Харківська область', 'Kharkiv Oblast', 'oblast', ARRAY['Kharkiv', 'Kharkiv region', 'Харківська', 'Харків', 'Kharkivska oblast']),
  ('UA-65', 'Херсонська область', 'Kherson Oblast', 'oblast', ARRAY['Kherson', 'Kherson region', 'Херсонська', 'Херсон', 'Khersonska oblast']),
  ('UA-68', 'Хмельницька область', 'Khmelnytskyi Oblast', 'oblast', ARRAY['Khmelnytskyi', 'Khmelnytskyi region', 'Хмельницька', 'Хмельницький', 'Khmelnytska oblast']),
  ('UA-71', 'Черкаська область', 'Cherkasy Oblast', 'oblast', ARRAY['Cherkasy', 'Cherkasy region', 'Черкаська', 'Черкаси', 'Cherkaska oblast']),
  ('UA-74', 'Чернівецька область', 'Chernivtsi Oblast', 'oblast', ARRAY['Chernivtsi', 'Chernivtsi region', 'Чернівецька', 'Чернівці', 'Chernivetska oblast']),
  ('UA-77', 'Чернігівська область', 'Chernihiv Oblast', 'oblast', ARRAY['Chernihiv', 'Chernihiv region', 'Чернігівська', 'Чернігів', 'Chernihivska oblast']);

CREATE TABLE hromadas (
  katottg      text PRIMARY KEY CHECK (katottg ~ '^UA[0-9]{17}$'),
  region_code  text NOT NULL REFERENCES regions (code),
  name_uk      text NOT NULL,
  name_en      text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('urban', 'settlement', 'rural')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  updated_by   text NOT NULL
);
CREATE INDEX hromadas_region_idx ON hromadas (region_code, name_uk);
INSERT INTO hromadas (katottg, region_code, name_uk, name_en, kind, updated_by) VALUES
  ('UA63120270000028556', 'UA-63', 'Харківська міська територіальна громада', 'Kharkiv urban hromada', 'urban', 'migration 008'),
  ('UA63040090000021240', 'UA-63', 'Ізюмська міська територіальна громада', 'Izium urban hromada', 'urban', 'migration 008'),
  ('UA63140170000087785', 'UA-63', 'Чугуївська міська територіальна громада', 'Chuhuiv urban hromada', 'urban', 'migration 008'),
  ('UA63100050000079487', 'UA-63', 'Лозівська міська територіальна громада', 'Lozova urban hromada', 'urban', 'migration 008'),
  ('UA63120290000021734', 'UA-63', 'Циркунівська сільська територіальна громада', 'Tsyrkuny rural hromada', 'rural', 'migration 008');

-- The staff that keys, teams and reassignments refer to. Names are personal data: never logged,
-- never in admin_events (which name the fields changed).
CREATE TABLE staff (
  staff_id       text PRIMARY KEY CHECK (length(staff_id) BETWEEN 1 AND 120),
  name           text NOT NULL,
  role           text NOT NULL CHECK (role IN ('case_manager', 'supervisor', 'head', 'admin')),
  region_code    text REFERENCES regions (code),
  supervisor_id  text REFERENCES staff (staff_id),
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     text NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     text NOT NULL
);
CREATE INDEX staff_supervisor_idx ON staff (supervisor_id);

-- ---- stored regions to codes ------------------------------------------------------------------
CREATE FUNCTION pg_temp.region_code(name text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT r.code FROM regions r
   WHERE lower(btrim(name)) IN (SELECT lower(n) FROM unnest(ARRAY[r.code, r.name_uk, r.name_en] || r.aliases) AS n)
   ORDER BY r.code LIMIT 1
$$;

UPDATE cases SET region = pg_temp.region_code(region),
                 state = CASE WHEN state ? 'region' THEN jsonb_set(state, '{region}', to_jsonb(pg_temp.region_code(region))) ELSE state END
 WHERE pg_temp.region_code(region) IS NOT NULL AND region <> pg_temp.region_code(region);
UPDATE one_off_contacts SET region = pg_temp.region_code(region) WHERE pg_temp.region_code(region) <> region;
UPDATE case_services SET region = pg_temp.region_code(region) WHERE pg_temp.region_code(region) <> region;
UPDATE case_closures SET region = pg_temp.region_code(region) WHERE pg_temp.region_code(region) <> region;
UPDATE case_escalations SET region = pg_temp.region_code(region) WHERE pg_temp.region_code(region) <> region;
UPDATE webhook_subscriptions
   SET regions = ARRAY(SELECT coalesce(pg_temp.region_code(x), x) FROM unnest(regions) WITH ORDINALITY AS u(x, n) ORDER BY n)
 WHERE EXISTS (SELECT 1 FROM unnest(regions) AS x WHERE pg_temp.region_code(x) <> x);
UPDATE api_keys
   SET scope = jsonb_set(scope, '{regions}', (SELECT coalesce(jsonb_agg(to_jsonb(coalesce(pg_temp.region_code(x), x)) ORDER BY n), '[]'::jsonb)
                                                FROM jsonb_array_elements_text(scope->'regions') WITH ORDINALITY AS u(x, n)))
 WHERE jsonb_typeof(scope->'regions') = 'array'
   AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(scope->'regions') AS x WHERE pg_temp.region_code(x) <> x);
-- The head of a region's inbox is addressed by the region.
UPDATE notifications n SET recipient_id = 'head:' || pg_temp.region_code(substr(recipient_id, 6))
 WHERE recipient_id LIKE 'head:%' AND pg_temp.region_code(substr(recipient_id, 6)) <> substr(recipient_id, 6)
   AND NOT EXISTS (SELECT 1 FROM notifications o WHERE o.case_id = n.case_id AND o.seq = n.seq
                                                  AND o.recipient_id = 'head:' || pg_temp.region_code(substr(n.recipient_id, 6)));

-- ---- staff named before the registry: from people's keys, then from cases ---------------------
-- Named after their key (or by their id) until an administrator corrects it, so their keys, cases
-- and reassignments keep working.
INSERT INTO staff (staff_id, name, role, region_code, created_by, updated_by)
SELECT DISTINCT ON (subject) subject, name, role,
       CASE WHEN jsonb_typeof(scope->'regions') = 'array' AND jsonb_array_length(scope->'regions') = 1
            THEN (SELECT code FROM regions WHERE code = scope->'regions'->>0) END,
       'migration 008', 'migration 008'
  FROM api_keys WHERE role <> 'integration' AND length(subject) <= 120
 ORDER BY subject, revoked_at IS NULL DESC, created_at DESC
ON CONFLICT DO NOTHING;
INSERT INTO staff (staff_id, name, role, created_by, updated_by)
SELECT id, id, role, 'migration 008', 'migration 008' FROM (
  SELECT case_manager_id AS id, 'case_manager' AS role FROM cases WHERE case_manager_id IS NOT NULL
  UNION SELECT supervisor_id, 'supervisor' FROM cases WHERE supervisor_id IS NOT NULL
) named
 WHERE length(id) <= 120
ON CONFLICT DO NOTHING;

DROP FUNCTION pg_temp.region_code(text);
