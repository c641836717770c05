import type { Pool } from 'pg';
import { serviceCategories } from '../domain/case';
import type { Language } from '../domain/vocabulary';

/**
 * The regional report the pilot sent its donor by hand (docs/DATA.md, "Reports"), per region (or
 * hromada) and period [from, to), dates in Kyiv time:
 * - approached: people who came: cases opened (taken on or screened out) and one-off contacts;
 * - oneOffContacts: of those, served once without a case (recorded directly, or screened out);
 * - casesOpened: taken into case management in the period;
 * - activeCases / caseManagers / casesPerCaseManager: cases in case management at some point of the
 *   period, the case managers leading them, and the ratio;
 * - casesClosed / closedPositive: closures approved in the period, and those with a positive outcome;
 * - services: services delivered in the period by category (cases and one-off contacts).
 * Everything counts by when it happened (a backdated command's occurredAt), not when it was recorded.
 */
export interface RegionalReportRow {
  /** The region's code (or older free text: rows stored before migration 008 with a name it did not know). */
  region: string;
  regionName?: { uk: string; en: string };
  hromada?: string;
  hromadaName?: { uk: string; en: string };
  approached: number;
  oneOffContacts: number;
  casesOpened: number;
  activeCases: number;
  caseManagers: number;
  casesPerCaseManager: number;
  casesClosed: number;
  closedPositive: number;
  services: Record<string, number>;
}

export interface ReportQuery {
  from: string;
  to: string;
  regions?: string[];
  byHromada: boolean;
}

export async function regionalReport(pool: Pool, q: ReportQuery): Promise<RegionalReportRow[]> {
  const r = await pool.query<{
    region: string;
    hromada: string | null;
    region_uk: string | null;
    region_en: string | null;
    hromada_uk: string | null;
    hromada_en: string | null;
    approached: number;
    one_off: number;
    opened: number;
    active: number;
    managers: number;
    closed: number;
    positive: number;
    services: Record<string, number> | null;
  }>(
    `WITH period AS (
       SELECT ($1::date)::timestamp AT TIME ZONE 'Europe/Kyiv' AS t0, ($2::date)::timestamp AT TIME ZONE 'Europe/Kyiv' AS t1
     ),
     scoped AS (
       SELECT c.*, CASE WHEN $4::boolean THEN c.hromada END AS h FROM cases c WHERE $3::text[] IS NULL OR c.region = ANY($3)
     ),
     came AS (
       SELECT region, h, count(*) AS n, count(*) FILTER (WHERE closure_reason = 'one_off_service') AS one_off
         FROM scoped, period WHERE opened_at >= t0 AND opened_at < t1 GROUP BY region, h
       UNION ALL
       SELECT region, CASE WHEN $4::boolean THEN hromada END, count(*), count(*)
         FROM one_off_contacts, period WHERE at >= t0 AND at < t1 AND ($3::text[] IS NULL OR region = ANY($3)) GROUP BY 1, 2
     ),
     taken AS (
       SELECT s.case_id, s.region, s.h, s.case_manager_id, coalesce(e.occurred_at, e.at) AS taken_at, s.closed_at
         FROM scoped s JOIN case_events e ON e.case_id = s.case_id AND e.type = 'case_opened_for_management'
     ),
     opened AS (
       SELECT region, h, count(DISTINCT case_id) AS n FROM taken, period WHERE taken_at >= t0 AND taken_at < t1 GROUP BY region, h
     ),
     active AS (
       SELECT region, h, count(DISTINCT case_id) AS n, count(DISTINCT case_manager_id) AS managers
         FROM taken, period WHERE taken_at < t1 AND (closed_at IS NULL OR closed_at >= t0) GROUP BY region, h
     ),
     closed AS (
       SELECT region, CASE WHEN $4::boolean THEN hromada END AS h, count(*) AS n, count(*) FILTER (WHERE outcome = 'positive') AS positive
         FROM case_closures, period WHERE closed_at >= t0 AND closed_at < t1 AND ($3::text[] IS NULL OR region = ANY($3)) GROUP BY 1, 2
     ),
     served AS (
       SELECT region, h, jsonb_object_agg(category, n) AS by_category FROM (
         SELECT region, CASE WHEN $4::boolean THEN hromada END AS h, category, count(*) AS n
           FROM case_services, period WHERE delivered_at >= t0 AND delivered_at < t1 AND ($3::text[] IS NULL OR region = ANY($3)) GROUP BY 1, 2, 3
       ) x GROUP BY region, h
     ),
     keys AS (
       SELECT region, h FROM came UNION SELECT region, h FROM opened UNION SELECT region, h FROM active
       UNION SELECT region, h FROM closed UNION SELECT region, h FROM served
     )
     SELECT k.region, k.h AS hromada, rg.name_uk AS region_uk, rg.name_en AS region_en, hr.name_uk AS hromada_uk, hr.name_en AS hromada_en,
            coalesce((SELECT sum(n) FROM came c WHERE c.region = k.region AND c.h IS NOT DISTINCT FROM k.h), 0)::int AS approached,
            coalesce((SELECT sum(one_off) FROM came c WHERE c.region = k.region AND c.h IS NOT DISTINCT FROM k.h), 0)::int AS one_off,
            coalesce(o.n, 0)::int AS opened, coalesce(a.n, 0)::int AS active, coalesce(a.managers, 0)::int AS managers,
            coalesce(cl.n, 0)::int AS closed, coalesce(cl.positive, 0)::int AS positive, s.by_category AS services
       FROM keys k
       LEFT JOIN opened o ON o.region = k.region AND o.h IS NOT DISTINCT FROM k.h
       LEFT JOIN active a ON a.region = k.region AND a.h IS NOT DISTINCT FROM k.h
       LEFT JOIN closed cl ON cl.region = k.region AND cl.h IS NOT DISTINCT FROM k.h
       LEFT JOIN served s ON s.region = k.region AND s.h IS NOT DISTINCT FROM k.h
       LEFT JOIN regions rg ON rg.code = k.region
       LEFT JOIN hromadas hr ON hr.katottg = k.h
      ORDER BY k.region, k.h NULLS FIRST`,
    [q.from, q.to, q.regions ?? null, q.byHromada],
  );
  return r.rows.map((x) => ({
    region: x.region,
    ...(x.region_uk && x.region_en ? { regionName: { uk: x.region_uk, en: x.region_en } } : {}),
    hromada: x.hromada ?? undefined,
    ...(x.hromada_uk && x.hromada_en ? { hromadaName: { uk: x.hromada_uk, en: x.hromada_en } } : {}),
    approached: x.approached,
    oneOffContacts: x.one_off,
    casesOpened: x.opened,
    activeCases: x.active,
    caseManagers: x.managers,
    casesPerCaseManager: x.managers ? Math.round((x.active / x.managers) * 10) / 10 : 0,
    casesClosed: x.closed,
    closedPositive: x.positive,
    services: Object.fromEntries(serviceCategories.map((c) => [c, Number(x.services?.[c] ?? 0)])),
  }));
}

const csvCell = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

type ServiceCategory = (typeof serviceCategories)[number];
/** The columns of the CSV report: the machine-readable names, and the headers funders read in Ukrainian. */
const columns = {
  region: 'Код регіону',
  region_name: 'Регіон',
  hromada: 'Код громади',
  hromada_name: 'Громада',
  approached: 'Звернулося осіб',
  one_off_contacts: 'Разові звернення (без ведення випадку)',
  cases_opened: 'Взято на ведення випадку',
  active_cases: 'Випадків у веденні',
  case_managers: 'Фахівців, що ведуть випадки',
  cases_per_case_manager: 'Випадків на одного фахівця',
  cases_closed: 'Закрито випадків',
  closed_positive: 'З них з позитивним результатом',
} as const;
const serviceHeadersUk: Record<ServiceCategory, string> = {
  information: 'інформаційні',
  material: 'матеріальні (економічні)',
  psychological: 'соціально-психологічні',
  educational: 'соціально-педагогічні',
  housing: 'житлові',
  medical: 'медичні',
  legal: 'юридичні (у т.ч. відновлення документів)',
  protection: 'захист і безпека',
  employment: 'працевлаштування',
  other: 'інші',
};

/**
 * The report as CSV for spreadsheets: UTF-8 with a byte-order mark (without it Excel reads the
 * Ukrainian names as another code page), CRLF lines, headers as machine names (`en`) or in Ukrainian
 * (`uk`); each region and hromada by its code and by its name in that language.
 */
export function reportCsv(rows: RegionalReportRow[], lang: Language = 'en'): string {
  const head =
    lang === 'uk'
      ? [...Object.values(columns), ...serviceCategories.map((c) => `Послуги: ${serviceHeadersUk[c]}`)]
      : [...Object.keys(columns), ...serviceCategories.map((c) => `services_${c}`)];
  const lines = rows.map((r) =>
    [
      r.region,
      r.regionName?.[lang] ?? r.region,
      r.hromada,
      r.hromada ? (r.hromadaName?.[lang] ?? r.hromada) : undefined,
      r.approached,
      r.oneOffContacts,
      r.casesOpened,
      r.activeCases,
      r.caseManagers,
      r.casesPerCaseManager,
      r.casesClosed,
      r.closedPositive,
      ...serviceCategories.map((c) => r.services[c]),
    ]
      .map(csvCell)
      .join(','),
  );
  return '\uFEFF' + [head.map(csvCell).join(','), ...lines].join('\r\n') + '\r\n';
}

export interface CaseloadOverview {
  /** Open and closed cases in the regions, by the stage they are in now. */
  byStage: Record<string, number>;
  /** Deadlines missed (escalations opened) per week of the period, Monday first, Kyiv time. */
  missedByWeek: { week: string; missed: number }[];
}

/** The head's charts: the caseload by stage now, and deadlines missed week by week over [from, to). */
export async function caseloadOverview(
  pool: Pool,
  q: { from: string; to: string; regions?: string[] },
): Promise<CaseloadOverview> {
  const regions = q.regions ?? null;
  const [stages, weeks] = await Promise.all([
    pool.query<{ stage: string; n: number }>(
      'SELECT stage, count(*)::int AS n FROM cases WHERE $1::text[] IS NULL OR region = ANY($1) GROUP BY stage',
      [regions],
    ),
    pool.query<{ week: string; missed: number }>(
      `WITH period AS (SELECT ($1::date)::timestamp AT TIME ZONE 'Europe/Kyiv' AS t0, ($2::date)::timestamp AT TIME ZONE 'Europe/Kyiv' AS t1),
            weeks AS (SELECT generate_series(date_trunc('week', $1::date), $2::date - 1, interval '1 week')::date AS week)
       SELECT to_char(w.week, 'YYYY-MM-DD') AS week,
              (SELECT count(*)::int FROM case_escalations e, period
                WHERE e.opened_at >= greatest(t0, w.week::timestamp AT TIME ZONE 'Europe/Kyiv') AND e.opened_at < least(t1, (w.week + 7)::timestamp AT TIME ZONE 'Europe/Kyiv')
                  AND ($3::text[] IS NULL OR e.region = ANY($3))) AS missed
         FROM weeks w ORDER BY w.week`,
      [q.from, q.to, regions],
    ),
  ]);
  return { byStage: Object.fromEntries(stages.rows.map((r) => [r.stage, r.n])), missedByWeek: weeks.rows };
}

/** The reports, as the API reads them. */
export function createReportRepository(pool: Pool) {
  return {
    regional: (q: ReportQuery) => regionalReport(pool, q),
    overview: (q: { from: string; to: string; regions?: string[] }) => caseloadOverview(pool, q),
  };
}
export type ReportRepository = ReturnType<typeof createReportRepository>;
