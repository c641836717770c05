import { randomUUID } from 'node:crypto';
import { listCases, type CaseSummary } from '../../db/case-list';
import { createCaseRepository } from '../../db/cases';
import { actorFor, canAccessCase, type Principal, type Role, type Scope } from '../../domain/principal';
import { startSystem, type RunningSystem } from '../support/system';

/** Lists and search over PostgreSQL: scope, filters, text search, cursor pages. */
let sys: RunningSystem;
let tool: string;
let admin: string;
const tag = randomUUID().slice(0, 6);
const R1 = `Kyiv-${tag}`;
const R2 = `Lviv-${tag}`;
const opened: string[] = [];

beforeAll(async () => {
  sys = await startSystem();
  await sys.registerRegions([R1, R2]);
  await sys.registerStaff([0, 1, 2].map((i) => `cm-${tag}-${i}`));
  await sys.registerStaff(
    [0, 1].map((i) => `sup-${tag}-${i}`),
    'supervisor',
  );
  tool = await sys.issueKey('integration', `hotline-${tag}`);
  admin = await sys.issueKey('admin', 'admin-list');
  const people = ['Олена Коваль', 'Taras Shevchuk', 'Ірина Бондар', 'Petro 100%_Wild'];
  for (let i = 0; i < 12; i++) {
    const body = {
      region: i % 3 === 0 ? R2 : R1,
      priority: i % 4 === 0 ? 'crisis' : 'routine',
      caseManagerId: `cm-${tag}-${i % 3}`,
      supervisorId: `sup-${tag}-${i % 2}`,
      client: { fullName: people[i % people.length]!, displacementStatus: 'idp' },
    };
    const res = await fetch(`${sys.baseUrl}/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tool}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    opened.push(((await res.json()) as { caseId: string }).caseId);
  }
}, 120_000);
afterAll(async () => sys?.stop());

const list = async (key: string, query: string) => {
  const res = await fetch(`${sys.baseUrl}/v1/cases?${query}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as { cases: CaseSummary[]; nextCursor?: string } };
};

it('pages through every case once, newest first, in a stable order', async () => {
  const seen: CaseSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(admin, `region=${R1}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    seen.push(...page.body.cases);
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(seen.map((c) => c.caseId).sort()).toEqual(opened.filter((_, i) => i % 3 !== 0).sort());
  const keys = seen.map((c) => `${c.openedAt}|${c.caseId}`);
  expect(keys).toEqual([...keys].sort().reverse());
});

it('lists a caseload with sort=deadline: the overdue first, then the nearest next deadline, in pages', async () => {
  // One case made overdue in the projection (waiting out a real deadline would take hours); the
  // crisis cases' first contact is due in 4 hours, the routine ones' in 2 working days.
  await sys.pool.query('UPDATE cases SET overdue = true WHERE case_id = $1', [opened[1]]);
  const seen: CaseSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(admin, `region=${R1}&sort=deadline&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    seen.push(...page.body.cases);
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(seen).toHaveLength(8);
  expect(seen[0]!.caseId).toBe(opened[1]);
  const rest = seen.slice(1);
  const due = rest.map((c) => Date.parse(c.nextDeadlineAt!));
  expect(due).toEqual([...due].sort((a, b) => a - b));
  expect(rest.findIndex((c) => c.priority === 'routine')).toBeGreaterThan(
    rest.map((c) => c.priority).lastIndexOf('crisis'),
  );
  // A cursor of one order is not taken for the other.
  const first = await list(admin, `region=${R1}&sort=deadline&limit=2`);
  expect((await list(admin, `region=${R1}&limit=2&cursor=${first.body.nextCursor}`)).status).toBe(400);
});

it('filters and searches by case number and client name (wildcards are literal)', async () => {
  expect((await list(admin, `region=${R1}&priority=crisis`)).body.cases.every((c) => c.priority === 'crisis')).toBe(
    true,
  );
  const byName = await list(admin, `q=${encodeURIComponent('коваль')}&region=${R2}`);
  expect(byName.body.cases.map((c) => c.clientName)).toEqual(['Олена Коваль']);
  expect(
    (await list(admin, `q=${encodeURIComponent('100%_')}&region=${R1}`)).body.cases.map((c) => c.clientName),
  ).toEqual(['Petro 100%_Wild', 'Petro 100%_Wild']);
  expect((await list(admin, `q=${encodeURIComponent('0%_W')}&region=${R1}`)).body.cases).toHaveLength(2);
  expect((await list(admin, `q=${encodeURIComponent('x%y')}&region=${R1}`)).body.cases).toHaveLength(0);
  const byNumber = await list(admin, `q=${opened[5]!.slice(0, 8)}`);
  expect(byNumber.body.cases.map((c) => c.caseId)).toContain(opened[5]);
  expect((await list(tool, `region=${R1}&limit=1`)).body.cases[0]!.clientName).toBeUndefined(); // tools see no names
  expect((await list(admin, 'cursor=bm90LW91cnM')).status).toBe(400);
  expect((await list(admin, 'overdue=maybe')).status).toBe(400);
});

it('shows each caller exactly the cases canAccessCase allows', async () => {
  const cases = createCaseRepository(sys.pool);
  const access = await Promise.all(opened.map(async (id) => [id, (await cases.access(id))!] as const));
  const principals: [Role, string, Scope][] = [
    ['case_manager', `cm-${tag}-1`, {}],
    ['supervisor', `sup-${tag}-0`, {}],
    ['supervisor', `sup-other-${tag}`, { teams: [`cm-${tag}-2`] }],
    ['head', `head-${tag}`, { regions: [R2] }],
    ['integration', `hotline-${tag}`, {}],
    ['integration', `registry-${tag}`, { regions: [R1] }],
  ];
  for (const [role, subject, scope] of principals) {
    const p: Principal = { keyId: 'k', role, subject, scope, actor: actorFor(role, subject) };
    const listed = [
      ...(await listCases(sys.pool, p, { region: R1 }, { limit: 200 })).cases,
      ...(await listCases(sys.pool, p, { region: R2 }, { limit: 200 })).cases,
    ];
    const expected = access
      .filter(([, a]) => canAccessCase(p, a))
      .map(([id]) => id)
      .sort();
    expect([role, subject, listed.map((c) => c.caseId).sort()]).toEqual([role, subject, expected]);
  }
});

it('gives each case a readable number, region-year-sequence, once, and finds it by that number', async () => {
  const rows = (
    await sys.pool.query<{ case_id: string; case_number: string }>(
      'SELECT case_id, case_number FROM cases WHERE case_id = ANY($1)',
      [opened],
    )
  ).rows;
  expect(rows).toHaveLength(12);
  const year = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Kyiv', year: 'numeric' }).format(new Date());
  for (const r of rows) expect(r.case_number).toMatch(new RegExp(`^[A-Z0-9]{2,8}-${year}-\\d{5}$`));
  expect(new Set(rows.map((r) => r.case_number)).size).toBe(12);
  // Numbers of one region run in the order the cases were opened.
  const r1 = opened.filter((_, i) => i % 3 !== 0).map((id) => rows.find((r) => r.case_id === id)!.case_number);
  expect(r1).toEqual([...r1].sort());
  const number = r1[2]!;
  const found = await list(admin, `q=${encodeURIComponent(number.toLowerCase())}`);
  expect(found.body.cases.map((c) => [c.caseId, c.caseNumber])).toEqual([
    [opened.find((id) => rows.find((r) => r.case_id === id)!.case_number === number), number],
  ]);
  const one = await fetch(`${sys.baseUrl}/v1/cases/${found.body.cases[0]!.caseId}`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(((await one.json()) as { case: { caseNumber: string } }).case.caseNumber).toBe(number);
});
