import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { UpdateDefinition } from '@temporalio/common';
import { Pool } from 'pg';
import { createActivities } from '../../activities';
import { createCaseRepository } from '../../db/cases';
import { createWebhookRepository } from '../../db/webhooks';
import type { CaseEvent, CaseState } from '../../domain/case';
import { applyCommand, newCaseState } from '../../domain/case-machine';
import { commandSchema } from '../../domain/commands';
import { caseWorkflowId } from '../../domain/ids';
import { createLogger } from '../../platform/logger';
import { freePort } from '../../stack/processes';
import { commandUpdates, getState } from '../../workflows/messages';
import { caseInput, command } from '../support/case-fixtures';
import { testDatabaseUrl, testTemporalAddress } from '../support/servers';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * One batch PostgreSQL refuses must never wedge its case: it is set aside (kept losslessly),
 * reported (log, metric, check:consistency) and repairable, and the case goes on. Real PostgreSQL
 * and the dev server; the bad text reaches the workflow past the API, as a direct Temporal client could.
 */
jest.setTimeout(120_000);
let sys: RunningSystem;
beforeAll(async () => {
  sys = await startSystem();
}, 120_000);
afterAll(async () => sys?.stop());

const root = join(__dirname, '..', '..');
/** One of the project's scripts, as an operator runs it, against this run's servers. */
function script(file: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', file, ...args],
      { cwd: root, env: { ...process.env, DATABASE_URL: testDatabaseUrl(), TEMPORAL_ADDRESS: testTemporalAddress() } },
      (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}
const event = (s: CaseState, seq: number, type: string, data: Record<string, unknown> = {}): CaseEvent => ({
  caseId: s.caseId,
  seq,
  type: type as CaseEvent['type'],
  actor: { kind: 'person', id: 'cm-olena' },
  at: new Date().toISOString(),
  data,
});
const caseRow = async (caseId: string) =>
  (await sys.pool.query<{ seq: number; state: CaseState }>('SELECT seq, state FROM cases WHERE case_id = $1', [caseId]))
    .rows[0];
const journal = async (caseId: string) =>
  (
    await sys.pool.query<{ seq: number }>('SELECT seq FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId])
  ).rows.map((r) => r.seq);

it('a case whose command held a NUL goes on: the batch is set aside, listed by check:consistency, and repaired', async () => {
  const cm = await sys.issueKey('case_manager', 'cm-quarantine');
  const metricsKey = await sys.issueKey('integration', 'scraper');
  const api = (path: string, body?: unknown) =>
    fetch(sys.baseUrl + path, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${cm}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
  const { caseId } = (await (await api('/v1/cases', { region: 'Sumy' })).json()) as { caseId: string };

  // Past the API's own check: a provider id with a NUL, which PostgreSQL refuses (22P05) on every attempt.
  const handle = sys.temporal.workflow.getHandle(caseWorkflowId(caseId));
  const consent = command(
    'recordConsent',
    { dataProcessing: true, shareWith: ['ngo-pravo\u0000'] },
    { kind: 'person', id: 'cm-quarantine' },
  );
  const update = commandUpdates.recordConsent as unknown as UpdateDefinition<CaseState, [unknown]>;
  // Before, this never answered: the projection was retried without end and the update waited for it.
  let timer: NodeJS.Timeout | undefined;
  const answered = await Promise.race([
    handle.executeUpdate(update, { args: [consent], updateId: consent.commandId }),
    new Promise<'wedged'>((r) => (timer = setTimeout(() => r('wedged'), 20_000))),
  ]);
  clearTimeout(timer);
  expect(answered).not.toBe('wedged');

  // Later commands answer normally, and their batches still move the case row forward.
  const started = Date.now();
  expect((await api(`/v1/cases/${caseId}/commands/recordContact`, { channel: 'phone' })).status).toBe(200);
  expect(Date.now() - started).toBeLessThan(8_000);
  const truth = await handle.query(getState);
  const row = await caseRow(caseId);
  expect(row?.seq).toBe(truth.seq);
  expect(row?.state.contact?.channel).toBe('phone');
  expect(row?.state.consent?.sharingWith).toEqual(['ngo-pravo\uFFFD']); // the projection shows where text was replaced
  expect(await journal(caseId)).toEqual([1, 2, 3]);

  // Set aside, losslessly: the batch as the workflow sent it, NUL included.
  const { quarantine } = createCaseRepository(sys.pool);
  const setAside = await quarantine.open([caseId]);
  expect(setAside).toEqual([
    expect.objectContaining({
      caseId,
      firstSeq: 2,
      lastSeq: 2,
      sqlstate: expect.stringMatching(/^22/),
      projected: 'cleaned',
    }),
    // the state carries the text into the next batch, which is set aside (and written cleaned) the same way
    expect.objectContaining({ caseId, firstSeq: 3, lastSeq: 3, projected: 'cleaned' }),
  ]);
  const kept = (
    await sys.pool.query<{ batch: string }>('SELECT batch FROM projection_quarantine WHERE quarantine_id = $1', [
      setAside[0]!.quarantineId,
    ])
  ).rows[0]!;
  expect((JSON.parse(kept.batch) as { state: CaseState }).state.consent?.sharingWith).toEqual(['ngo-pravo\u0000']);

  // Reported: the metric, and check:consistency lists the batches and exits non-zero.
  const metrics = await (
    await fetch(`${sys.baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsKey}` } })
  ).text();
  expect(Number(/^suprovid_projection_quarantined_batches (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
  const check = await script('scripts/check-consistency.ts', [caseId]);
  expect(check.code).toBe(1);
  expect(check.stdout).toContain(
    `${caseId}  batch set aside: quarantine ${setAside[0]!.quarantineId}, seq 2..2, SQLSTATE 22`,
  );

  // Repaired by an operator: re-applied with the text cleaned, recorded with who did it.
  const repair = await script('scripts/repair-projection.ts', ['--by', 'ops-maria', '--case', caseId]);
  expect(repair).toEqual({ code: 0, stdout: setAside.map((q) => `quarantine ${q.quarantineId}: repaired\n`).join('') });
  const audit = await sys.pool.query(
    `SELECT actor_id, action, details FROM admin_events WHERE subject = $1 ORDER BY event_id`,
    [`case:${caseId}`],
  );
  expect(audit.rows).toEqual(
    setAside.map((q) => ({
      actor_id: 'ops-maria',
      action: 'projection_batch_repaired',
      details: expect.objectContaining({
        quarantineId: Number(q.quarantineId),
        firstSeq: q.firstSeq,
        textReplaced: true,
      }),
    })),
  );
  expect(await quarantine.open([caseId])).toEqual([]);
  expect(await script('scripts/check-consistency.ts', [caseId])).toEqual({
    code: 0,
    stdout: 'projection consistent with every open case\n',
  });
});

it('in the repository: forward only around a set-aside batch, one refused whatever its text stays open, outages are retried', async () => {
  const cases = createCaseRepository(sys.pool);
  const s1 = newCaseState(caseInput());
  s1.seq = 1;
  expect(await cases.recordEvents([event(s1, 1, 'case_opened')], s1)).toEqual({});

  const s2 = structuredClone(s1);
  applyCommand(
    s2,
    'recordConsent',
    commandSchema('recordConsent').parse(command('recordConsent', { dataProcessing: true, shareWith: ['ngo\u0000'] })),
    Date.now(),
  );
  s2.seq = 2;
  const r2 = await cases.recordEvents([event(s2, 2, 'consent_recorded', { shareWith: ['ngo\u0000'] })], s2);
  expect(r2.setAside).toMatchObject({ firstSeq: 2, projected: 'cleaned' });
  expect((await caseRow(s1.caseId))?.seq).toBe(2);

  // A time that is no time: refused however its text is cleaned, so nothing of it is written...
  const s3 = structuredClone(s2);
  s3.seq = 3;
  const r3 = await cases.recordEvents([{ ...event(s3, 3, 'contact_recorded'), at: '2026-02-30T10:00:00Z' }], s3);
  expect(r3.setAside).toMatchObject({ firstSeq: 3, projected: 'not_written', sqlstate: '22008' }); // datetime field overflow
  expect((await caseRow(s1.caseId))?.seq).toBe(2);
  // ...and the next batch, which carries the whole state, still moves the case row forward.
  const s4 = structuredClone(s3);
  s4.seq = 4;
  expect((await cases.recordEvents([event(s4, 4, 'reminder_sent')], s4)).setAside).toMatchObject({
    firstSeq: 4,
    projected: 'cleaned',
  });
  expect((await caseRow(s1.caseId))?.seq).toBe(4);
  expect(await journal(s1.caseId)).toEqual([1, 2, 4]);

  // Repairs never move the row back; the one still refused stays listed.
  expect(await cases.quarantine.repair(r2.setAside!.quarantineId, 'ops-maria')).toEqual({ outcome: 'repaired' });
  expect(await cases.quarantine.repair(r3.setAside!.quarantineId, 'ops-maria')).toEqual({
    outcome: 'still_refused',
    sqlstate: r3.setAside!.sqlstate,
  });
  expect(await cases.quarantine.repair(r2.setAside!.quarantineId, 'ops-maria')).toEqual({ outcome: 'not_found' });
  await cases.recordEvents([event(s1, 1, 'case_opened')], s1); // an old batch replayed late
  expect((await caseRow(s1.caseId))?.seq).toBe(4);
  expect((await cases.quarantine.open([s1.caseId])).map((q) => q.firstSeq)).toEqual([3, 4]);

  // PostgreSQL unreachable is no reason to set anything aside: it is thrown, and Temporal retries.
  const away = new Pool({
    connectionString: `postgres://nobody@127.0.0.1:${await freePort()}/none`,
    connectionTimeoutMillis: 2_000,
  });
  await expect(createCaseRepository(away).recordEvents([event(s4, 5, 'x')], s4)).rejects.toMatchObject({
    code: 'ECONNREFUSED',
  });
  await away.end();
});

it('the activity reports a set-aside batch in the log with ids only, and completes', async () => {
  const lines: string[] = [];
  const activities = createActivities({
    cases: createCaseRepository(sys.pool),
    webhooks: createWebhookRepository(sys.pool),
    startDelivery: async () => undefined,
    deliveryRetry: { initialMs: 200, maxMs: 1_000, giveUpAfterMs: 60_000 },
    log: createLogger('info', {}, (l) => lines.push(l)),
  });
  const s = newCaseState(caseInput());
  s.seq = 1;
  s.externalRef = 'Olena Kovalchuk\u0000';
  await new MockActivityEnvironment().run(activities.recordCaseEvents, {
    events: [event(s, 1, 'case_opened')],
    state: s,
  });
  expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
    expect.objectContaining({
      level: 'warn',
      msg: 'projection batch set aside',
      caseId: s.caseId,
      firstSeq: 1,
      lastSeq: 1,
      sqlstate: expect.stringMatching(/^22/),
      projected: 'cleaned',
    }),
  ]);
  expect(lines.join('\n')).not.toMatch(/Olena/);
  expect((await caseRow(s.caseId))?.seq).toBe(1);
});
