import type { Pool } from 'pg';
import type { Principal } from '../domain/principal';

export interface CaseListFilter {
  stage?: string;
  caseManagerId?: string;
  supervisorId?: string;
  region?: string;
  hromada?: string;
  priority?: string;
  overdue?: boolean;
  dueBefore?: string;
  /** approval: a plan waiting for the supervisor, or a closure requested. */
  awaiting?: 'approval';
  /** The start of a case number, or part of a client's name. */
  q?: string;
}

export interface CaseSummary {
  caseId: string;
  /** Region-year-sequence, for people (UA63-2026-00042); the id stays caseId. */
  caseNumber?: string;
  stage: string;
  priority: string;
  region: string;
  hromada?: string;
  caseManagerId?: string;
  supervisorId?: string;
  openedAt: string;
  nextDeadlineAt?: string;
  overdue: boolean;
  clientName?: string;
}

/**
 * The orders a list comes in: the newest opened first, or (a caseload) the overdue first, then the
 * nearest next deadline, cases with none last. A cursor is the sort key of the last row given, in
 * the order it was made for.
 */
export const caseOrders = ['opened', 'deadline'] as const;
export type CaseOrder = (typeof caseOrders)[number];
type Cursor = { order: 'opened'; key: [string, string] } | { order: 'deadline'; key: [boolean, string, string] };

const encode = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
const isTime = (v: unknown): v is string => typeof v === 'string' && (v === 'infinity' || !Number.isNaN(Date.parse(v)));
export function decodeCursor(cursor: string, order: CaseOrder = 'opened'): Cursor | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (!Array.isArray(v)) return undefined;
    if (order === 'opened' && v.length === 2 && isTime(v[0]) && v[0] !== 'infinity' && typeof v[1] === 'string')
      return { order, key: [v[0], v[1]] };
    if (order === 'deadline' && v.length === 3 && typeof v[0] === 'boolean' && isTime(v[1]) && typeof v[2] === 'string')
      return { order, key: [v[0], v[1], v[2]] };
  } catch {
    /* not one of ours */
  }
  return undefined;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * The caller's scope as SQL: the same rule as canAccessCase (domain/principal.ts), which a test
 * checks case by case.
 */
export function scopeCondition(p: Principal, arg: (v: unknown) => string): string | undefined {
  const regions = p.scope.regions ?? [];
  // Built only where used: a parameter no condition names has no type, and Postgres refuses it.
  const inRegions = () => (regions.length ? `c.region = ANY(${arg(regions)}::text[])` : 'TRUE');
  switch (p.role) {
    case 'admin':
      return undefined;
    case 'head':
      return inRegions();
    case 'supervisor':
      return `${inRegions()} AND (c.supervisor_id = ${arg(p.subject)}::text OR c.case_manager_id = ANY(${arg(p.scope.teams ?? [])}::text[]))`;
    case 'case_manager': {
      const me = `${arg(p.subject)}::text`;
      return `${inRegions()} AND (c.case_manager_id = ${me} OR c.state->'team'->'members' @> jsonb_build_array(jsonb_build_object('staffId', ${me})))`;
    }
    case 'integration': {
      const me = `${arg(p.subject)}::text`;
      const byRegion = regions.length ? ` OR c.region = ANY(${arg(regions)}::text[])` : '';
      return `(c.state->'openedBy'->>'id' = ${me} OR EXISTS (SELECT 1 FROM case_referrals r WHERE r.case_id = c.case_id AND r.provider_id = ${me})${byRegion})`;
    }
  }
}

export async function listCases(
  pool: Pool,
  p: Principal,
  f: CaseListFilter,
  page: { limit: number; order?: CaseOrder; after?: Cursor },
): Promise<{ cases: CaseSummary[]; nextCursor?: string }> {
  const values: unknown[] = [];
  const arg = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  const scope = scopeCondition(p, arg);
  if (scope) where.push(`(${scope})`);
  const eq: [keyof CaseListFilter, string][] = [
    ['stage', 'c.stage'],
    ['caseManagerId', 'c.case_manager_id'],
    ['supervisorId', 'c.supervisor_id'],
    ['region', 'c.region'],
    ['hromada', 'c.hromada'],
    ['priority', 'c.priority'],
  ];
  for (const [key, column] of eq) if (f[key] !== undefined) where.push(`${column} = ${arg(f[key])}`);
  if (f.overdue !== undefined) where.push(`c.overdue = ${arg(f.overdue)}`);
  if (f.dueBefore) where.push(`c.next_deadline_at < ${arg(f.dueBefore)}`);
  if (f.awaiting === 'approval') {
    where.push(
      `(c.stage = 'closure_requested' OR (c.stage = 'planning' AND EXISTS (SELECT 1 FROM case_plans p WHERE p.case_id = c.case_id AND p.status = 'pending_approval')))`,
    );
  }
  if (f.q) {
    const q = likeEscape(f.q.toLowerCase());
    where.push(`(c.case_id::text LIKE ${arg(q + '%')} OR lower(c.case_number) LIKE ${arg(q + '%')} OR EXISTS (SELECT 1 FROM case_people cp JOIN people pe USING (person_id)
                  WHERE cp.case_id = c.case_id AND lower(pe.full_name) LIKE ${arg('%' + q + '%')}))`);
  }
  const order = page.order ?? 'opened';
  const dueKey = `COALESCE(c.next_deadline_at, 'infinity'::timestamptz)`;
  if (page.after?.order === 'opened')
    where.push(`(c.opened_at, c.case_id) < (${arg(page.after.key[0])}::timestamptz, ${arg(page.after.key[1])}::uuid)`);
  if (page.after?.order === 'deadline')
    where.push(
      `(NOT c.overdue, ${dueKey}, c.case_id) > (${arg(page.after.key[0])}::boolean, ${arg(page.after.key[1])}::timestamptz, ${arg(page.after.key[2])}::uuid)`,
    );
  const showNames = p.role !== 'integration';
  const sql = `
    SELECT c.case_id, c.case_number, c.stage, c.priority, c.region, c.hromada, c.case_manager_id, c.supervisor_id, c.opened_at, c.next_deadline_at, c.overdue,
           ${showNames ? `(SELECT pe.full_name FROM case_people cp JOIN people pe USING (person_id) WHERE cp.case_id = c.case_id AND cp.role = 'client' LIMIT 1)` : 'NULL'} AS client_name
      FROM cases c
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY ${order === 'deadline' ? `NOT c.overdue, ${dueKey}, c.case_id` : 'c.opened_at DESC, c.case_id DESC'}
     LIMIT ${arg(page.limit + 1)}`;
  const r = await pool.query<{
    case_id: string;
    case_number: string | null;
    stage: string;
    priority: string;
    region: string;
    hromada: string | null;
    case_manager_id: string | null;
    supervisor_id: string | null;
    opened_at: Date;
    next_deadline_at: Date | null;
    overdue: boolean;
    client_name: string | null;
  }>(sql, values);
  const rows = r.rows.slice(0, page.limit);
  const last = rows.at(-1);
  return {
    cases: rows.map((x) => ({
      caseId: x.case_id,
      caseNumber: x.case_number ?? undefined,
      stage: x.stage,
      priority: x.priority,
      region: x.region,
      hromada: x.hromada ?? undefined,
      caseManagerId: x.case_manager_id ?? undefined,
      supervisorId: x.supervisor_id ?? undefined,
      openedAt: x.opened_at.toISOString(),
      nextDeadlineAt: x.next_deadline_at?.toISOString(),
      overdue: x.overdue,
      clientName: x.client_name ?? undefined,
    })),
    nextCursor:
      r.rows.length > page.limit && last
        ? encode(
            order === 'deadline'
              ? [!last.overdue, last.next_deadline_at?.toISOString() ?? 'infinity', last.case_id]
              : [last.opened_at.toISOString(), last.case_id],
          )
        : undefined,
  };
}

/** The case list as the API reads it (a repository, as every read of the routes is). */
export function createCaseListRepository(pool: Pool) {
  return {
    list: (p: Principal, f: CaseListFilter, page: { limit: number; order?: CaseOrder; after?: Cursor }) =>
      listCases(pool, p, f, page),
  };
}
export type CaseListRepository = ReturnType<typeof createCaseListRepository>;
