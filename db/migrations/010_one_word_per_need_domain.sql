-- One word per concept (docs/API.md): a need's domain takes the service category's word where the
-- two are the same thing. legal_documents is now legal, protection_safety is now protection.
-- The API and the workflow still accept the earlier words (domain/vocabulary.ts, renamedNeedDomains)
-- and store the new ones; this rewrites what was stored before. In jsonb's text form a quoted
-- "legal_documents" can only be a whole string value (a quote inside a text is escaped), and these
-- words are used only as need and goal domains. case_events is left as it was recorded: the audit
-- trail is append-only, so an assessment_submitted event from before keeps the word of its day.
UPDATE cases
   SET state = replace(replace(state::text, '"legal_documents"', '"legal"'), '"protection_safety"', '"protection"')::jsonb
 WHERE state::text LIKE '%"legal\_documents"%' OR state::text LIKE '%"protection\_safety"%';

UPDATE case_assessments
   SET needs = replace(replace(needs::text, '"legal_documents"', '"legal"'), '"protection_safety"', '"protection"')::jsonb
 WHERE needs::text LIKE '%"legal\_documents"%' OR needs::text LIKE '%"protection\_safety"%';

UPDATE case_plans
   SET goals = replace(replace(goals::text, '"legal_documents"', '"legal"'), '"protection_safety"', '"protection"')::jsonb
 WHERE goals::text LIKE '%"legal\_documents"%' OR goals::text LIKE '%"protection\_safety"%';
