import { randomUUID } from 'node:crypto';
import type { CaseState } from '../../domain/case';
import type { RegionalReportRow } from '../../db/reports';
import { apiCall } from '../support/http';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Field work recorded later, from paper: a case opened, worked and served days before it is
 * recorded, on the real dev server and PostgreSQL. One rule for every time a command says something
 * happened (the workflow's validator), the report counting by when it happened, the audit trail
 * keeping both times; the services of one visit as one command; and the minimal answer.
 */
let sys: RunningSystem;
let cm: string;
let sup: string;
let headKey: string;
const tag = randomUUID().slice(0, 6);
const region = `Volyn-${tag}`;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const kyivDate = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Europe/Kyiv' });

beforeAll(async () => {
  sys = await startSystem();
  await sys.registerRegions([region]);
  [cm, sup, headKey] = await Promise.all([
    sys.issueKey('case_manager', `cm-${tag}`),
    sys.issueKey('supervisor', `sup-${tag}`),
    sys.issueKey('head', `head-${tag}`, { regions: [region] }),
  ]);
}, 120_000);
afterAll(async () => sys?.stop());

const call = (key: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  apiCall(sys.baseUrl, key, path, body, headers);

async function openBackdated(occurredAt: string): Promise<string> {
  const r = await call(cm, '/v1/cases', { region, supervisorId: `sup-${tag}`, occurredAt });
  expect(r.status).toBe(201);
  return r.body.caseId as string;
}

/** A case opened `days` ago and worked to intervention on the days it happened. */
async function inIntervention(days: number, openedAt = ago(days)): Promise<string> {
  const caseId = await openBackdated(openedAt);
  const steps: [string, string, unknown][] = [
    [cm, 'recordContact', { channel: 'in_person', contactedAt: ago(days - 0.1) }], // the older field name still works
    [cm, 'recordConsent', { dataProcessing: true, occurredAt: ago(days - 0.1) }],
    [cm, 'screen', { decision: 'open_case', occurredAt: ago(days - 0.2) }],
    [cm, 'submitAssessment', { needs: [{ domain: 'housing', level: 'high' }], occurredAt: ago(days - 1) }],
    [
      cm,
      'submitPlan',
      {
        goals: [{ goalId: 'g1', description: 'Housing', domain: 'housing' }],
        clientAgreement: { agreedAt: ago(days - 2), form: 'verbal' },
        occurredAt: ago(days - 2),
      },
    ],
    [sup, 'approvePlan', { occurredAt: ago(days - 2) }],
  ];
  for (const [key, name, body] of steps)
    expect([name, (await call(key, `/v1/cases/${caseId}/commands/${name}`, body)).status]).toEqual([name, 200]);
  return caseId;
}

it('records a visit days later: each step at the time it happened, both times in the audit trail, counted in the report by when it happened', async () => {
  const openedAt = ago(10);
  const caseId = await inIntervention(10, openedAt);
  const [visit, talk, docs] = [ago(5), ago(4.9), ago(4.8)];
  const r = await call(cm, `/v1/cases/${caseId}/commands/recordServices`, {
    occurredAt: visit,
    services: [
      { serviceId: 's-food', category: 'material' },
      { serviceId: 's-talk', category: 'psychological', occurredAt: talk },
      { serviceId: 's-docs', category: 'legal', deliveredAt: docs },
    ],
  });
  expect(r.status).toBe(200);
  const s = (r.body as { case: CaseState }).case;
  expect(s.openedAt).toBe(openedAt);
  expect(Date.parse(s.screening!.at)).toBeLessThan(Date.now() - 9 * DAY);
  expect(Date.parse(s.supportStartedAt!)).toBeLessThan(Date.now() - 9 * DAY);
  expect(s.services.map((x) => [x.serviceId, x.deliveredAt])).toEqual([
    ['s-food', visit],
    ['s-talk', talk],
    ['s-docs', docs],
  ]);

  // One command, one batch: the three services were recorded at one instant, each happened at its own.
  const ev = await sys.pool.query<{ type: string; at: Date; occurred_at: Date }>(
    `SELECT type, at, occurred_at FROM case_events WHERE case_id = $1 ORDER BY seq`,
    [caseId],
  );
  const services = ev.rows.filter((e) => e.type === 'service_recorded');
  expect(services).toHaveLength(3);
  expect(new Set(services.map((e) => e.at.getTime())).size).toBe(1);
  expect(services.map((e) => e.occurred_at.toISOString())).toEqual([visit, talk, docs]);
  expect(services.every((e) => e.occurred_at.getTime() < e.at.getTime() - 4 * DAY)).toBe(true);
  const opened = ev.rows.find((e) => e.type === 'case_opened')!;
  expect(opened.occurred_at.getTime()).toBe(Date.parse(s.openedAt));
  expect(opened.at.getTime() - opened.occurred_at.getTime()).toBeGreaterThan(9 * DAY);

  // The audit trail keeps both: when it was recorded and when it happened.
  const trail = await call(cm, `/v1/cases/${caseId}/history`);
  const entry = (trail.body.entries as { action: string; at: string; occurredAt: string }[]).find(
    (e) => e.action === 'case_opened_for_management',
  )!;
  expect(Date.parse(entry.at) - Date.parse(entry.occurredAt)).toBeGreaterThan(9 * DAY);

  // The report for the week it happened counts the case opened, taken on and served then.
  const report = await call(
    headKey,
    `/v1/reports/regional?from=${kyivDate(ago(12))}&to=${kyivDate(ago(3))}&region=${region}`,
  );
  expect(report.status).toBe(200);
  const row = (report.body.rows as RegionalReportRow[]).find((x) => x.region === region)!;
  expect(row).toMatchObject({ approached: 1, casesOpened: 1, activeCases: 1 });
  expect(row.services).toMatchObject({ material: 1, psychological: 1, legal: 1 });
  // …and the days since, when it was recorded, count nothing of it.
  const since = await call(
    headKey,
    `/v1/reports/regional?from=${kyivDate(ago(2))}&to=${kyivDate(ago(-1))}&region=${region}`,
  );
  const later = (since.body.rows as RegionalReportRow[]).find((x) => x.region === region);
  expect(later).toMatchObject({ approached: 0, casesOpened: 0, services: expect.objectContaining({ material: 0 }) });
});

it('refuses a time in the future, before the case opened or older than the policy allows, naming the field, and records nothing of a refused batch', async () => {
  const caseId = await inIntervention(3);
  const refused = async (name: string, body: unknown, path: string, status = 400) => {
    const r = await call(cm, `/v1/cases/${caseId}/commands/${name}`, body);
    expect([
      name,
      r.status,
      r.headers.get('content-type'),
      (r.body.errors as { path: string }[] | undefined)?.map((e) => e.path),
    ]).toEqual([name, status, 'application/problem+json; charset=utf-8', [path]]);
  };
  // §4 of the issue: deliveredAt 2099-01-01 on a case opened days ago.
  await refused(
    'recordService',
    { serviceId: 's-2099', category: 'legal', deliveredAt: '2099-01-01T00:00:00Z' },
    'deliveredAt',
  );
  await refused(
    'recordService',
    { serviceId: 's-future', category: 'legal', occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
    'occurredAt',
  );
  await refused('recordReview', { outcome: 'continue', occurredAt: ago(4) }, 'occurredAt'); // before the case opened
  await refused(
    'recordServices',
    {
      services: [
        { serviceId: 'ok-1', category: 'material', occurredAt: ago(1) },
        { serviceId: 'bad-2', category: 'legal', occurredAt: '2099-01-01T00:00:00Z' },
      ],
    },
    'services[1].occurredAt',
  );
  await refused(
    'recordServices',
    {
      services: [
        { serviceId: 'same', category: 'material' },
        { serviceId: 'same', category: 'legal' },
      ],
    },
    'services[1].serviceId',
    409,
  );
  // A few minutes of clock skew are forgiven.
  expect(
    (
      await call(cm, `/v1/cases/${caseId}/commands/recordService`, {
        serviceId: 's-skew',
        category: 'legal',
        occurredAt: new Date(Date.now() + 60_000).toISOString(),
      })
    ).status,
  ).toBe(200);

  const s = ((await call(cm, `/v1/cases/${caseId}`)).body as { case: CaseState }).case;
  expect(s.services.map((x) => x.serviceId)).toEqual(['s-skew']);

  // Opening: not in the future, not older than the policy's limit (30 days by default).
  for (const occurredAt of ['2099-01-01T00:00:00Z', ago(31)]) {
    const r = await call(cm, '/v1/cases', { region, occurredAt });
    expect([r.status, (r.body.errors as { path: string }[]).map((e) => e.path)]).toEqual([400, ['occurredAt']]);
  }
});

it('answers with Prefer: return=minimal without the case, and says so', async () => {
  const caseId = await inIntervention(2);
  const full = await call(cm, `/v1/cases/${caseId}/commands/recordService`, {
    serviceId: 'm-1',
    category: 'information',
  });
  const minimal = await call(
    cm,
    `/v1/cases/${caseId}/commands/recordService`,
    { serviceId: 'm-2', category: 'information' },
    { prefer: 'return=minimal', 'idempotency-key': `minimal-${tag}-0001` },
  );
  expect(minimal.status).toBe(200);
  expect(minimal.headers.get('preference-applied')).toBe('return=minimal');
  expect(minimal.body).toEqual({
    caseId,
    commandId: `minimal-${tag}-0001`,
    version: (full.body.case as CaseState).seq + 1,
  });
  expect(full.headers.get('preference-applied')).toBeNull();
  // The whole case is kilobytes (its policy named by version); the minimal answer a few dozen bytes (docs/API.md gives the numbers).
  expect(full.bytes).toBeGreaterThan(1_500);
  expect(minimal.bytes).toBeLessThan(150);
  process.stdout.write(`return=minimal: ${full.bytes} bytes -> ${minimal.bytes} bytes\n`);

  const opened = await call(cm, '/v1/cases', { region }, { prefer: 'respond-async, return=minimal' });
  expect(opened.status).toBe(201);
  expect(opened.headers.get('preference-applied')).toBe('return=minimal');
  expect(Object.keys(opened.body).sort()).toEqual(['caseId', 'version']);
});
