import { useOwnTemporal } from '../support/own-temporal';
import { eventually } from '../support/system';

/**
 * Temporal stopped under a running API (its own dev server here, with file persistence): commands
 * get 503 with Retry-After and nothing is half-applied; reads from PostgreSQL go on; once Temporal
 * is back, the same command (same Idempotency-Key) is applied, once.
 */
jest.setTimeout(180_000);
const own = useOwnTemporal('temporal-outage');

it('answers 503 while Temporal is down, applies nothing, and applies the retried command once after', async () => {
  const cm = await own.sys.issueKey('case_manager', 'cm-outage');
  const call = (method: string, path: string, body?: unknown, key?: string) =>
    fetch(own.sys.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${cm}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const opened = await call('POST', '/v1/cases', { region: 'Kherson' });
  expect(opened.status).toBe(201);
  const { caseId } = (await opened.json()) as { caseId: string };

  await own.stopServer();
  const refused = await call(
    'POST',
    `/v1/cases/${caseId}/commands/recordContact`,
    { channel: 'phone' },
    'contact-during-outage',
  );
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('5');
  expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
  expect((await call('POST', '/v1/cases', { region: 'Kherson' })).status).toBe(503);
  expect((await call('GET', `/v1/cases/${caseId}`)).status).toBe(200); // reads come from PostgreSQL
  expect((await fetch(`${own.sys.baseUrl}/readyz`)).status).toBe(503);
  const during = await own.sys.pool.query('SELECT type FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
  expect(during.rows.map((r: { type: string }) => r.type)).toEqual(['case_opened']);

  await own.startServer();
  await eventually(async () => ((await fetch(`${own.sys.baseUrl}/readyz`)).status === 200 ? true : undefined), 60_000);
  const retried = await eventually(async () => {
    const r = await call(
      'POST',
      `/v1/cases/${caseId}/commands/recordContact`,
      { channel: 'phone' },
      'contact-during-outage',
    );
    return r.status === 200 ? r : undefined;
  }, 60_000);
  expect(retried.status).toBe(200);
  const again = await call(
    'POST',
    `/v1/cases/${caseId}/commands/recordContact`,
    { channel: 'phone' },
    'contact-during-outage',
  );
  expect(again.status).toBe(200);
  const after = await own.sys.pool.query('SELECT type FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
  expect(after.rows.map((r: { type: string }) => r.type)).toEqual(['case_opened', 'contact_recorded']);
});
