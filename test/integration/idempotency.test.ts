import { randomUUID } from 'node:crypto';
import type { CaseState } from '../../domain/case';
import { createIdempotencyKeyRepository } from '../../db/idempotency-keys';
import { caseWorkflowId } from '../../domain/ids';
import { housekeepOnce } from '../support/housekeeping';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * An Idempotency-Key names one request, on the real stack: the same request again is answered as
 * the first and applied once; the key with another request answers 422 problem+json naming the
 * key, and changes nothing, also when the two requests race.
 */
let sys: RunningSystem;
const tag = randomUUID().slice(0, 6);
const region = `Poltava-${tag}`;
const cmId = `cm-idem-${tag}`;
const supId = `sup-idem-${tag}`;
let tool: string;
let cm: string;
let sup: string;

beforeAll(async () => {
  sys = await startSystem();
  await sys.registerRegions([region]);
  await sys.registerStaff([`cm-leaving-${tag}`, `cm-a-${tag}`, `cm-b-${tag}`]);
  [tool, cm, sup] = await Promise.all([
    sys.issueKey('integration', `hotline-idem-${tag}`),
    sys.issueKey('case_manager', cmId),
    sys.issueKey('supervisor', supId),
  ]);
}, 120_000);
afterAll(async () => sys?.stop());

type Answer = { status: number; type: string; body: Record<string, unknown> };
async function post(key: string, path: string, body: unknown, idempotencyKey?: string): Promise<Answer> {
  const res = await fetch(sys.baseUrl + path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: (await res.json()) as Record<string, unknown>,
  };
}
const command = (key: string, caseId: string, name: string, body: unknown, idempotencyKey?: string) =>
  post(key, `/v1/cases/${caseId}/commands/${name}`, body, idempotencyKey);
const openCase = async (body: unknown = { region, supervisorId: supId }) =>
  (await post(cm, '/v1/cases', body)).body.caseId as string;
const caseState = async (caseId: string) =>
  (await sys.pool.query<{ state: CaseState }>('SELECT state FROM cases WHERE case_id = $1', [caseId])).rows[0]!.state;

function expectKeyRefused(a: Answer, key: string): void {
  expect([a.status, a.type]).toEqual([422, expect.stringMatching(/^application\/problem\+json/)]);
  expect(a.body).toMatchObject({ status: 422, title: 'Idempotency-Key is already used', idempotencyKey: key });
  expect(a.body.detail).toContain(key);
}

it('opens one case for a key sent again with the same body, and refuses the key with another body', async () => {
  const key = `open-${tag}-0001`;
  const first = await post(tool, '/v1/cases', { region, priority: 'urgent', source: 'hotline' }, key);
  expect(first.status).toBe(201);
  // The same request, its fields in another order and a default spelled out: the same case.
  const again = await post(tool, '/v1/cases', { source: 'hotline', priority: 'urgent', region, household: [] }, key);
  expect([again.status, again.body.caseId]).toEqual([201, first.body.caseId]);

  expectKeyRefused(await post(tool, '/v1/cases', { region, priority: 'routine', source: 'hotline' }, key), key);
  expect(await caseState(first.body.caseId as string)).toMatchObject({ priority: 'urgent', region });
  let runs = 0;
  for await (const _ of sys.temporal.workflow.list({
    query: `WorkflowId = '${caseWorkflowId(first.body.caseId as string)}'`,
  }))
    runs++;
  expect(runs).toBe(1);
  // One row per key, in the caller's namespace.
  const rows = await sys.pool.query('SELECT namespace FROM idempotency_keys WHERE key = $1', [key]);
  expect(rows.rows).toEqual([{ namespace: `caller:tool:hotline-idem-${tag}:openCase` }]);
});

it('records a service once per key, and refuses the key with another service, another command or another caller', async () => {
  const caseId = await openCase();
  for (const [name, body] of [
    ['recordContact', { channel: 'phone' }],
    ['recordConsent', { dataProcessing: true }],
    ['screen', { decision: 'open_case' }],
    ['submitAssessment', { needs: [{ domain: 'housing', level: 'high' }] }],
    [
      'submitPlan',
      {
        goals: [{ goalId: 'g1', description: 'Stable housing', domain: 'housing' }],
        clientAgreement: { agreedAt: new Date().toISOString(), form: 'verbal' },
      },
    ],
  ] as const) {
    expect([name, (await command(cm, caseId, name, body)).status]).toEqual([name, 200]);
  }
  expect((await command(sup, caseId, 'approvePlan', {})).status).toBe(200);

  const key = `service-${tag}-0001`;
  const service = { serviceId: 'svc-1', category: 'legal', deliveredAt: new Date().toISOString() };
  expect((await command(cm, caseId, 'recordService', service, key)).status).toBe(200);
  const retry = await command(cm, caseId, 'recordService', service, key);
  expect(retry.status).toBe(200);
  expect((retry.body.case as CaseState).services.map((s) => s.serviceId)).toEqual(['svc-1']);

  expectKeyRefused(
    await command(cm, caseId, 'recordService', { ...service, serviceId: 'svc-2', category: 'housing' }, key),
    key,
  );
  expectKeyRefused(await command(cm, caseId, 'recordReview', { outcome: 'continue' }, key), key);
  expectKeyRefused(await command(sup, caseId, 'recordService', service, key), key);

  expect((await caseState(caseId)).services.map((s) => s.serviceId)).toEqual(['svc-1']);
  const recorded = await sys.pool.query(
    `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type IN ('service_recorded', 'review_recorded')`,
    [caseId],
  );
  expect(recorded.rows[0].n).toBe(1);
}, 60_000);

it('keeps command keys per case: one key on two cases is two commands', async () => {
  const cases = [await openCase(), await openCase()];
  const key = `consent-${tag}-0001`;
  for (const caseId of cases)
    expect((await command(cm, caseId, 'recordConsent', { dataProcessing: true }, key)).status).toBe(200);
  for (const caseId of cases) expect((await caseState(caseId)).consent.dataProcessing).toBe(true);
  const rows = await sys.pool.query('SELECT namespace FROM idempotency_keys WHERE key = $1 ORDER BY namespace', [key]);
  expect(rows.rows.map((r: { namespace: string }) => r.namespace)).toEqual(cases.map((id) => `case:${id}`).sort());
});

it('lets exactly one of two racing requests with one key and different bodies through', async () => {
  const caseId = await openCase();
  const pairs = Array.from({ length: 10 }, (_, i) => `race-${tag}-${String(i).padStart(4, '0')}`);
  const answers = await Promise.all(
    pairs.map(async (key) => {
      const [a, b] = await Promise.all([
        command(cm, caseId, 'recordConsent', { dataProcessing: true, shareWith: [`ngo-a-${key}`] }, key),
        command(cm, caseId, 'recordConsent', { dataProcessing: true, shareWith: [`ngo-b-${key}`] }, key),
      ]);
      return [a.status, b.status].sort();
    }),
  );
  expect(answers).toEqual(pairs.map(() => [200, 422]));
  const consents = await sys.pool.query(
    `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'consent_recorded'`,
    [caseId],
  );
  expect(consents.rows[0].n).toBe(pairs.length);
  expect((await caseState(caseId)).consent.sharingWith).toHaveLength(pairs.length);

  // Opening races the same way: two different cases cannot both be answered with one.
  const openings = await Promise.all(
    pairs.map(async (key) => {
      const [a, b] = await Promise.all([
        post(cm, '/v1/cases', { region, priority: 'urgent' }, `open-${key}`),
        post(cm, '/v1/cases', { region, priority: 'crisis' }, `open-${key}`),
      ]);
      return [a.status, b.status].sort();
    }),
  );
  expect(openings).toEqual(pairs.map(() => [201, 422]));
}, 60_000);

it('refuses a reassignment key sent again with another body, and moves nothing', async () => {
  const leaving = `cm-leaving-${tag}`;
  const hotline = await sys.issueKey('integration', `hotline-bulk-${tag}`);
  const ids: string[] = [];
  for (let i = 0; i < 2; i++)
    ids.push(
      (await post(hotline, '/v1/cases', { region, caseManagerId: leaving, supervisorId: supId })).body.caseId as string,
    );
  const key = `offboard-${tag}-0001`;
  const request = { fromCaseManagerId: leaving, toCaseManagerId: `cm-a-${tag}`, reason: 'Left the service' };
  expect((await post(sup, '/v1/reassignments', request, key)).body).toMatchObject({ reassigned: 2, failed: 0 });
  expectKeyRefused(
    await post(
      sup,
      '/v1/reassignments',
      { ...request, fromCaseManagerId: `cm-a-${tag}`, toCaseManagerId: `cm-b-${tag}` },
      key,
    ),
    key,
  );
  for (const id of ids) expect((await caseState(id)).team.caseManagerId).toBe(`cm-a-${tag}`);
  // The same request again is still the retry it was.
  expect((await post(sup, '/v1/reassignments', request, key)).body).toMatchObject({ reassigned: 0, failed: 0 });
});

it('refuses a one-off contact key sent again with another body', async () => {
  const key = `walk-in-${tag}-0001`;
  const contact = { region, services: [{ category: 'information' }] };
  const first = await post(cm, '/v1/one-off-contacts', contact, key);
  expect(first.status).toBe(201);
  expect((await post(cm, '/v1/one-off-contacts', contact, key)).status).toBe(200);
  expectKeyRefused(await post(cm, '/v1/one-off-contacts', { ...contact, services: [{ category: 'legal' }] }, key), key);
  const services = await sys.pool.query('SELECT category FROM case_services WHERE case_id = $1', [
    first.body.contactId,
  ]);
  expect(services.rows).toEqual([{ category: 'information' }]);
});

it('purges keys past their retention, and a command sent again with a purged key is still applied once', async () => {
  const caseId = await openCase();
  const key = `contact-${tag}-old`;
  expect((await command(cm, caseId, 'recordContact', { channel: 'phone' }, key)).status).toBe(200);
  const fresh = `contact-${tag}-fresh`;
  expect((await command(cm, caseId, 'recordContact', { channel: 'phone' }, fresh)).status).toBe(200);
  // The first key was seen 31 days ago; the retention is 30.
  await sys.pool.query(
    `UPDATE idempotency_keys SET first_seen_at = now() - interval '31 days' WHERE key = $1 AND namespace LIKE $2`,
    [key, `%${caseId}%`],
  );
  const keys = createIdempotencyKeyRepository(sys.pool);
  const lines = await housekeepOnce([
    { what: 'idempotency keys', olderThanDays: 30, run: (days) => keys.purgeOlderThan(days) },
  ]);
  const left = await sys.pool.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE key = ANY($1)', [
    [key, fresh],
  ]);
  expect(left.rows.map((r) => r.key)).toEqual([fresh]);
  expect(lines.some((l) => l.includes('purged idempotency keys'))).toBe(true);

  // The purged key is free: another body with it is no longer refused, and the case applies nothing
  // twice (the key is the command id it remembers).
  expect((await command(cm, caseId, 'recordContact', { channel: 'in_person' }, key)).status).toBe(200);
  const contacts = await sys.pool.query(
    `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'contact_recorded'`,
    [caseId],
  );
  expect(contacts.rows[0].n).toBe(2);
}, 60_000);
