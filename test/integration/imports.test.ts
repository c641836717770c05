import { randomUUID } from 'node:crypto';
import type { CaseState } from '../../domain/case';
import { importStages } from '../../domain/vocabulary';
import { apiCall } from '../support/http';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Moving a caseload over from a spreadsheet: an asynchronous job on the real dev server and
 * PostgreSQL that opens each row's case in its stage, with its team, open deadlines and past
 * services; per-row results; one case per external id however often it is imported; and a job
 * that carries on when its worker comes back.
 */
let sys: RunningSystem;
let tool: string;
let admin: string;
const tag = randomUUID().slice(0, 6);
const region = `Import-${tag}`;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const ahead = (days: number) => new Date(Date.now() + days * DAY).toISOString();

beforeAll(async () => {
  sys = await startSystem();
  await sys.registerRegions([region]);
  await sys.registerStaff(Array.from({ length: 7 }, (_, i) => `cm-${tag}-${i}`));
  await sys.registerStaff([`sup-${tag}`], 'supervisor');
  [tool, admin] = await Promise.all([
    sys.issueKey('integration', `registry-${tag}`, { regions: [region] }),
    sys.issueKey('admin', `admin-${tag}`),
  ]);
}, 120_000);
afterAll(async () => sys?.stop());

const call = (key: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  apiCall(sys.baseUrl, key, path, body, headers);

async function postLines(key: string, rows: unknown[], headers: Record<string, string> = {}) {
  const res = await fetch(`${sys.baseUrl}/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson', ...headers },
    body: rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n',
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A row of the spreadsheet: the stage cycles, so every stage an import takes is in the file. */
function row(i: number, prefix = tag) {
  const stage = importStages[i % importStages.length]!;
  const managed = stage !== 'intake';
  return {
    externalId: `${prefix}-${i}`,
    region,
    caseManagerId: `cm-${tag}-${i % 7}`,
    supervisorId: `sup-${tag}`,
    priority: 'routine',
    stage,
    openedAt: ago(20),
    ...(managed ? { consent: { dataProcessing: true, shareWith: ['ngo-pravo'] } } : {}),
    deadlines:
      stage === 'intervention' || stage === 'monitoring'
        ? [{ kind: 'review', dueAt: ahead(10) }]
        : stage === 'assessment'
          ? [{ kind: 'assessment', dueAt: ahead(2) }]
          : [],
    services: managed ? [{ serviceId: `${prefix}-${i}-s1`, category: 'legal', deliveredAt: ago(15) }] : [],
    client: { fullName: `Клієнт ${i}` },
  };
}

/** The cases of these external ids in PostgreSQL, once their workflows have written them (moments after their rows are done). */
async function projected(pattern: string, n: number): Promise<number> {
  let found = 0;
  for (let i = 0; i < 100 && found < n; i++) {
    found = (await sys.pool.query('SELECT count(*)::int AS n FROM cases WHERE external_ref LIKE $1', [pattern])).rows[0]
      .n as number;
    if (found < n) await new Promise((ok) => setTimeout(ok, 200));
  }
  return found;
}

async function finished(importId: string, key = tool): Promise<Record<string, unknown>> {
  for (let i = 0; i < 240; i++) {
    const r = await call(key, `/v1/imports/${importId}`);
    expect(r.status).toBe(200);
    if (r.body.status === 'completed') return r.body;
    await new Promise((ok) => setTimeout(ok, 500));
  }
  throw new Error(`import ${importId} did not finish`);
}

it('imports 200 cases in their stages with their deadlines, services and people, reports failed rows, and makes one case per external id', async () => {
  const rows: unknown[] = Array.from({ length: 200 }, (_, i) => row(i));
  rows[10] = {
    ...row(10),
    stage: 'planning',
    consent: { dataProcessing: true },
    deadlines: [{ kind: 'review', dueAt: ahead(3) }],
  }; // planning has no review open
  rows[11] = { ...row(11), stage: 'monitoring', consent: undefined }; // a managed case without consent
  rows[12] = { ...row(12), region: 'Lviv' }; // outside the key's regions
  rows[13] = { ...row(13), services: [{ serviceId: 'x', category: 'legal', deliveredAt: '2099-01-01T00:00:00Z' }] };
  rows[14] = { externalId: `${tag}-14`, stage: 'closed' }; // does not parse
  rows[15] = { ...row(15), closedOn: '2025-12-01' }; // a field imports do not know: refused, not dropped
  const sent = await call(tool, '/v1/imports', rows, { 'idempotency-key': `import-${tag}-first` });
  expect(sent.status).toBe(202);
  expect(sent.body).toMatchObject({ status: 'running', total: 200, counts: { failed: 6 } });
  const importId = sent.body.importId as string;
  // The same request again is the same job.
  expect((await call(tool, '/v1/imports', rows, { 'idempotency-key': `import-${tag}-first` })).body.importId).toBe(
    importId,
  );

  const done = await finished(importId);
  expect(done.counts).toEqual({ pending: 0, imported: 194, existing: 0, failed: 6 });
  const failed = await call(tool, `/v1/imports/${importId}/rows?status=failed`);
  expect(
    (failed.body.rows as { row: number; errors: { path: string; code: string }[] }[]).map((r) => [
      r.row,
      r.errors[0]!.path,
    ]),
  ).toEqual([
    [11, 'deadlines[0].kind'],
    [12, 'consent.dataProcessing'],
    [13, 'region'],
    [14, 'services[0].deliveredAt'],
    [15, 'region'],
    [16, 'closedOn'],
  ]);
  // Another tool does not see the job; an administrator does.
  expect((await call(await sys.issueKey('integration', `other-${tag}`), `/v1/imports/${importId}`)).status).toBe(404);
  expect((await call(admin, `/v1/imports/${importId}`)).status).toBe(200);

  // Each case is where the spreadsheet had it, with its deadline and its past services.
  expect(await projected(`${tag}-%`, 194)).toBe(194);
  const cases = await sys.pool.query<{ external_ref: string; stage: string; state: CaseState }>(
    'SELECT external_ref, stage, state FROM cases WHERE region = $1 ORDER BY external_ref',
    [region],
  );
  expect(cases.rowCount).toBe(194);
  const byRef = new Map(cases.rows.map((c) => [c.external_ref, c]));
  const intervention = byRef.get(`${tag}-3`)!; // 3 % 5 = intervention
  expect(intervention.stage).toBe('intervention');
  expect(intervention.state.deadlines.find((d) => d.kind === 'review')?.dueAt).toBe(
    (rows[3] as ReturnType<typeof row>).deadlines[0]!.dueAt,
  );
  expect(intervention.state.services.map((s) => s.serviceId)).toEqual([`${tag}-3-s1`]);
  expect(intervention.state.overdue).toBe(false);
  expect(new Set(cases.rows.map((c) => c.stage))).toEqual(new Set(importStages));
  const services = await sys.pool.query(
    "SELECT count(*)::int AS n FROM case_services WHERE region = $1 AND delivered_at < now() - interval '14 days'",
    [region],
  );
  expect(services.rows[0].n).toBe(cases.rows.filter((c) => c.stage !== 'intake').length);
  const opened = await sys.pool.query<{ at: Date; occurred_at: Date; data: { imported: { importId: string } } }>(
    `SELECT at, occurred_at, data FROM case_events WHERE case_id = $1 AND type = 'case_opened'`,
    [intervention.state.caseId],
  );
  expect(opened.rows[0]!.data.imported.importId).toBe(importId);
  expect(opened.rows[0]!.at.getTime() - opened.rows[0]!.occurred_at.getTime()).toBeGreaterThan(19 * DAY);
  const people = await sys.pool.query('SELECT count(*)::int AS n FROM case_people WHERE case_id = ANY($1::uuid[])', [
    cases.rows.map((c) => c.state.caseId),
  ]);
  expect(people.rows[0].n).toBe(194);

  // An imported case is worked like any other.
  const cmd = await call(tool, `/v1/cases/${intervention.state.caseId}/commands/recordService`, {
    serviceId: 'after-import',
    category: 'material',
  });
  expect(cmd.status).toBe(200);

  // Imported again, as JSON lines, by a new job: every case is found, none opened twice; a line that is not JSON fails alone.
  const again = await postLines(tool, [...rows.slice(0, 5), '{not json']);
  expect(again.status).toBe(202);
  const second = await finished(again.body.importId as string);
  expect(second.counts).toEqual({ pending: 0, imported: 0, existing: 5, failed: 1 });
  const secondRows = await call(tool, `/v1/imports/${again.body.importId as string}/rows?limit=2`);
  expect(secondRows.body.rows).toEqual([
    expect.objectContaining({ row: 1, status: 'existing', caseId: byRef.get(`${tag}-0`)!.state.caseId }),
    expect.objectContaining({ row: 2, status: 'existing' }),
  ]);
  expect(secondRows.body.nextCursor).toBe('2');
  expect((await sys.pool.query('SELECT count(*)::int AS n FROM cases WHERE region = $1', [region])).rows[0].n).toBe(
    194,
  );
}, 180_000);

it('carries on where it was when its worker comes back', async () => {
  await sys.stopWorker();
  const sent = await call(
    tool,
    '/v1/imports',
    Array.from({ length: 60 }, (_, i) => row(i, `${tag}-resume`)),
  );
  expect(sent.status).toBe(202);
  const importId = sent.body.importId as string;
  await new Promise((ok) => setTimeout(ok, 1_000));
  expect((await call(tool, `/v1/imports/${importId}`)).body).toMatchObject({
    status: 'running',
    counts: { pending: 60 },
  });
  await sys.startWorker();
  const done = await finished(importId);
  expect(done.counts).toMatchObject({ pending: 0, failed: 0 });
  expect(await projected(`${tag}-resume-%`, 60)).toBe(60);
}, 180_000);

it('is for tools and administrators', async () => {
  const cm = await sys.issueKey('case_manager', `cm-${tag}`);
  expect((await call(cm, '/v1/imports', [row(1)])).status).toBe(403);
});
