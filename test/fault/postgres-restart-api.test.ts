import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { checkConsistency } from '../../scripts/consistency';
import { migrate } from '../../db/migrate';
import { freePort } from '../../stack/processes';
import { startPostgres, type PostgresServer } from '../../stack/postgres';
import { eventually, startSystem, type RunningSystem } from '../support/system';

/**
 * PostgreSQL stopped under the running API and worker (its own server here): reads and commands
 * answer 503 and nothing is applied; once it is back everything goes on, and the projection agrees
 * with every workflow.
 */
jest.setTimeout(180_000);
let dir: string;
let port: number;
let pg: PostgresServer;
let sys: RunningSystem;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'suprovid-pg-restart-'));
  chmodSync(dir, 0o755);
  port = await freePort();
  pg = await startPostgres({ dataDir: join(dir, 'pg'), port });
  const pool = new Pool({ connectionString: pg.url });
  await migrate(pool);
  await pool.end();
  sys = await startSystem({ databaseUrl: pg.url });
});
afterAll(async () => {
  await sys?.stop();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('answers 503 while PostgreSQL is down, loses nothing, and is consistent after', async () => {
  const cm = await sys.issueKey('case_manager', 'cm-pg');
  const call = (method: string, path: string, body?: unknown, key?: string) =>
    fetch(sys.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${cm}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const { caseId } = (await (await call('POST', '/v1/cases', { region: 'Donetsk' })).json()) as { caseId: string };

  await pg.stop();
  for (const [method, path, body] of [
    ['GET', `/v1/cases/${caseId}`],
    ['GET', '/v1/cases'],
    ['POST', `/v1/cases/${caseId}/commands/recordContact`, { channel: 'phone' }],
  ] as const) {
    const r = await call(method, path, body, 'contact-while-db-down');
    expect([method, path, r.status, r.headers.get('retry-after')]).toEqual([method, path, 503, '5']);
  }
  expect((await fetch(`${sys.baseUrl}/readyz`)).status).toBe(503);

  pg = await startPostgres({ dataDir: join(dir, 'pg'), port });
  const done = await eventually(async () => {
    const r = await call(
      'POST',
      `/v1/cases/${caseId}/commands/recordContact`,
      { channel: 'phone' },
      'contact-while-db-down',
    );
    return r.status === 200 ? r : undefined;
  }, 60_000);
  expect(done.status).toBe(200);
  expect((await call('GET', `/v1/cases/${caseId}`)).status).toBe(200);
  const journal = await sys.pool.query('SELECT type FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
  expect(journal.rows.map((r: { type: string }) => r.type)).toEqual(['case_opened', 'contact_recorded']);
  expect(await checkConsistency(sys.pool, sys.temporal, { caseIds: [caseId] })).toEqual([]);
});
